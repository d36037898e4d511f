//! What one build of a process leaves for the next (`folio serve` rebuilds in one process):
//! a map from a content key to a result, read without locking during a build and replaced as a
//! whole at its end, so that it holds only what the last build used.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Results of the last build, by key.
pub struct Memo<V> {
    last: Mutex<Option<Arc<HashMap<String, V>>>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> Memo<V> {
    /// An empty memo, for a `static`.
    pub const fn new() -> Self {
        Memo { last: Mutex::new(None) }
    }

    /// The results of the last build (shared; a build reads it while it runs).
    pub fn last(&self) -> Arc<HashMap<String, V>> {
        self.last.lock().ok().and_then(|last| last.clone()).unwrap_or_default()
    }

    /// Keeps `results`, this build's, for the next one.
    pub fn keep(&self, results: HashMap<String, V>) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Arc::new(results));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_last_builds_results() {
        let memo = Memo::new();
        assert!(memo.last().is_empty());
        memo.keep(HashMap::from([("a".to_string(), 1)]));
        let seen = memo.last();
        memo.keep(HashMap::from([("b".to_string(), 2)]));
        assert_eq!(seen.get("a"), Some(&1), "a build keeps the snapshot it started with");
        assert_eq!(memo.last().get("a"), None);
        assert_eq!(memo.last().get("b"), Some(&2));
    }
}
