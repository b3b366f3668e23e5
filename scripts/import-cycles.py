#!/usr/bin/env python3
"""Finds source files that import each other, directly or around a loop (issue 17).

Each crate's module tree is read from its files (src/lib.rs or src/main.rs, a.rs or a/mod.rs).
Every path a file names from `crate::`, `super::` or `self::` — in a `use` or in the code — is an
edge to the file of the deepest module on that path. A file's own inline modules (`mod tests`)
belong to it. Test-only files (tests.rs, tests/) are left out: they import what they test.

Prints each loop and exits 1 if there is one; `--graph` prints every edge.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATES = ["crates/core", "crates/api", "crates/store", "crates/letter", "app", "server", "crates/frontend", "crates/core-wasm-tests"]

COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
STRING = re.compile(r'r#*"(?:.|\n)*?"#*|"(?:\\.|[^"\\])*"')
USE = re.compile(r"\buse\s+([^;]+);")
PATH = re.compile(r"\b((?:crate|super|self)(?:\s*::\s*(?:super|\w+))+)")


def modules(src: Path) -> dict:
    """Module path (tuple) -> file, for every file of the crate's tree."""
    tree = {}
    for root_name in ("lib.rs", "main.rs"):
        root = src / root_name
        if root.exists():
            tree[()] = root
            break
    for file in sorted(src.rglob("*.rs")):
        rel = file.relative_to(src)
        if rel.parts[0] == "bin" or rel.name in ("lib.rs", "main.rs"):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "mod":
            parts.pop()
        tree[tuple(parts)] = file
    return tree


def expand(tree: str) -> list:
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [tree]
    prefix, body = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    items, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(body[start:i])
            start = i + 1
    items.append(body[start:])
    out = []
    for item in items:
        if item:
            out.extend(prefix + x for x in expand(item))
    return out


def resolve(path: str, here: tuple, tree: dict):
    """The module a path names, from the module `here`; None outside the crate."""
    parts = [p for p in re.sub(r"\s+", "", path).split("::") if p]
    parts = [p.split(" as ")[0] for p in parts]
    if not parts:
        return None
    if parts[0] == "crate":
        at, rest = (), parts[1:]
    elif parts[0] in ("super", "self"):
        at, rest = here, parts
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                at = at[:-1]
            rest = rest[1:]
    elif here + (parts[0],) in tree:
        # A child module named without `self::` (2018 paths).
        at, rest = here, parts
    else:
        return None
    # The deepest module along the path that has a file.
    best = at
    for part in rest:
        nxt = best + (part,)
        if nxt in tree:
            best = nxt
        else:
            break
    while best not in tree and best:
        best = best[:-1]
    return best


PUB_USE = re.compile(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);")


def reexports(tree: dict) -> dict:
    """(module, name) -> the path a `pub use` in that module gives the name."""
    out = {}
    for module, file in tree.items():
        text = STRING.sub('""', COMMENT.sub("", file.read_text()))
        for use in PUB_USE.findall(text):
            for path in expand(use):
                name = path.split(" as ")[-1].split("::")[-1].strip()
                if name and name != "*":
                    out[(module, name)] = path.split(" as ")[0]
    return out


def target_of(path: str, here: tuple, tree: dict, exported: dict, depth: int = 0):
    """The file's module a path finally names, through `pub use` re-exports."""
    module = resolve(path, here, tree)
    if module is None or depth > 8:
        return module
    parts = [p for p in re.sub(r"\s+", "", path.split(" as ")[0]).split("::") if p]
    # The segment after the module, if the path goes on: an item of that module, maybe re-exported.
    names = [p for p in parts if p not in ("crate", "super", "self")]
    for i, part in enumerate(names):
        if (module, part) in exported and (module + (part,)) not in tree:
            again = target_of(exported[(module, part)], module, tree, exported, depth + 1)
            return again if again is not None else module
    return module


TEST_MOD = re.compile(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{")


def without_test_modules(text: str) -> str:
    """The text without its inline `#[cfg(test)] mod … { … }` (their `super` is this file)."""
    while True:
        m = TEST_MOD.search(text)
        if not m:
            return text
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        text = text[: m.start()] + text[i:]


INLINE_MOD = re.compile(r"\bmod\s+\w+\s*\{")


def inline_modules_as_file(text: str) -> str:
    """The text with each inline `mod x { … }`'s `super::` read as the file's own module
    (`self::`): inside such a block, `super` is the file, not its parent."""
    out, i = [], 0
    for m in INLINE_MOD.finditer(text):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        block = re.sub(r"\bsuper\s*::", "self::", text[m.end() : j])
        out.append(text[i : m.end()])
        out.append(block)
        i = j
    out.append(text[i:])
    return "".join(out)


def is_test(rel: Path) -> bool:
    return rel.name == "tests.rs" or "tests" in rel.parts[:-1]


def edges_of(crate: Path) -> dict:
    src = crate / "src"
    tree = modules(src)
    exported = reexports(tree)
    graph = {}
    for module, file in tree.items():
        rel = file.relative_to(src)
        if is_test(rel):
            continue
        text = inline_modules_as_file(
            without_test_modules(STRING.sub('""', COMMENT.sub("", file.read_text())))
        )
        named = []
        for use in USE.findall(text):
            named.extend(expand(use))
        named.extend(PATH.findall(text))
        children = {m[-1] for m in tree if len(m) == len(module) + 1 and m[: len(module)] == module}
        for child in children:
            named.extend(re.findall(r"(?<![:\w])(" + re.escape(child) + r"(?:\s*::\s*\w+)+)", text))
        targets = set()
        for path in named:
            target = target_of(path, module, tree, exported)
            if target is None or target == module:
                continue
            target_file = tree[target]
            if is_test(target_file.relative_to(src)):
                continue
            targets.add(target_file)
        graph[file] = targets
    return graph


def cycles(graph: dict) -> list:
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    show_graph = "--graph" in sys.argv
    found = 0
    for name in CRATES:
        crate = ROOT / name
        if not (crate / "src").exists():
            continue
        graph = edges_of(crate)
        if show_graph:
            for f, ts in sorted(graph.items()):
                for t in sorted(ts):
                    print(f"{f.relative_to(ROOT)} -> {t.relative_to(ROOT)}")
        for comp in cycles(graph):
            found += 1
            files = ", ".join(str(f.relative_to(ROOT)) for f in comp)
            print(f"import loop in {name}: {files}")
    if found:
        print(f"{found} import loop(s)", file=sys.stderr)
        return 1
    print("no source files import each other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
