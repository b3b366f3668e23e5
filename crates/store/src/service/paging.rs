//! Where a page of a list starts, bounded: a page number of 2^64 − 1 once reached the database
//! layer's integer conversion and panicked the request.

use super::ServiceError;

/// The furthest row a page may start at: far past any list this office keeps, and inside every
/// database's signed offset.
pub const MAX_OFFSET: u64 = i32::MAX as u64;

/// The first row of page `page` (from 0) of `per_page` rows, or a field error naming `page`.
pub fn offset(page: u64, per_page: u64) -> Result<u64, ServiceError> {
    page.checked_mul(per_page.max(1))
        .filter(|start| *start <= MAX_OFFSET)
        .ok_or_else(|| ServiceError::Invalid {
            field: "page",
            message: format!(
                "page {} of {} rows starts past the end of any list (row {MAX_OFFSET} at most)",
                page.saturating_add(1),
                per_page.max(1)
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_start_where_expected_and_never_overflow() {
        assert_eq!(offset(0, 25).ok(), Some(0));
        assert_eq!(offset(3, 25).ok(), Some(75));
        assert_eq!(offset(0, 0).ok(), Some(0));
        assert!(matches!(
            offset(u64::MAX - 1, 25),
            Err(ServiceError::Invalid { field: "page", .. })
        ));
        assert!(offset(MAX_OFFSET / 500 + 1, 500).is_err());
        assert!(offset(MAX_OFFSET / 500, 500).is_ok());
    }
}
