//! Writing HTML by hand: every text and attribute value that is not a literal goes through
//! [`text`], so a student's typed value can never become markup.

use std::fmt::Write;

/// Appends `value` with the five characters that matter in HTML escaped.
pub fn text(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

/// `value` escaped, to be written as markup.
pub fn escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    text(&mut out, value);
    out
}

/// Appends ` name="value"` (escaped).
pub fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"");
    text(out, value);
    out.push('"');
}

/// Appends `<tag attrs>text</tag>`; `attrs` is literal markup.
pub fn element(out: &mut String, tag: &str, attrs: &str, value: &str) {
    let _ = write!(out, "<{tag}{attrs}>");
    text(out, value);
    let _ = write!(out, "</{tag}>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_stay_text() {
        let mut out = String::new();
        attr(&mut out, "value", r#""><script>alert('x')</script>"#);
        assert_eq!(
            out,
            r#" value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;""#
        );
        let mut out = String::new();
        element(&mut out, "p", r#" class="a""#, "1 < 2 & 3");
        assert_eq!(out, r#"<p class="a">1 &lt; 2 &amp; 3</p>"#);
        assert_eq!(escaped("Staff · A&B"), "Staff · A&amp;B");
    }
}
