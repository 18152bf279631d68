//! Lists (Redis 7.0 encodes every list as a `quicklist`).

use crate::engine::deque::Deque;

/// Bytes we count per element on top of its payload (a listpack entry header in a quicklist node).
const ELEMENT_OVERHEAD_BYTES: usize = 2;

/// A list of byte strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListValue {
    items: Deque<Vec<u8>>,
    bytes: usize,
}

impl ListValue {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the list is empty (Redis deletes empty lists; so must callers).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds at the head (LPUSH).
    pub fn push_front(&mut self, item: Vec<u8>) {
        self.bytes += item.len() + ELEMENT_OVERHEAD_BYTES;
        self.items.push_front(item);
    }

    /// Adds at the tail (RPUSH).
    pub fn push_back(&mut self, item: Vec<u8>) {
        self.bytes += item.len() + ELEMENT_OVERHEAD_BYTES;
        self.items.push_back(item);
    }

    /// Removes from the head (LPOP).
    pub fn pop_front(&mut self) -> Option<Vec<u8>> {
        let item = self.items.pop_front()?;
        self.bytes -= item.len() + ELEMENT_OVERHEAD_BYTES;
        Some(item)
    }

    /// Removes from the tail (RPOP).
    pub fn pop_back(&mut self) -> Option<Vec<u8>> {
        let item = self.items.pop_back()?;
        self.bytes -= item.len() + ELEMENT_OVERHEAD_BYTES;
        Some(item)
    }

    /// The element at `index` from the head.
    pub fn get(&self, index: usize) -> Option<&Vec<u8>> {
        self.items.get(index)
    }

    /// Replaces the element at `index`; false if out of range.
    pub fn set(&mut self, index: usize, item: Vec<u8>) -> bool {
        let Some(slot) = self.items.get_mut(index) else {
            return false;
        };
        self.bytes = self.bytes - slot.len() + item.len();
        *slot = item;
        true
    }

    /// Inserts before `index` (0..=len).
    pub fn insert(&mut self, index: usize, item: Vec<u8>) {
        self.bytes += item.len() + ELEMENT_OVERHEAD_BYTES;
        self.items.insert(index, item);
    }

    /// Removes the element at `index`.
    pub fn remove(&mut self, index: usize) -> Option<Vec<u8>> {
        let item = self.items.remove(index)?;
        self.bytes -= item.len() + ELEMENT_OVERHEAD_BYTES;
        Some(item)
    }

    /// Keeps only elements `start..end` (LTRIM); out-of-range bounds are clamped.
    pub fn retain_range(&mut self, start: usize, end: usize) {
        let end = end.min(self.items.len());
        let start = start.min(end);
        // Count only what leaves, so a small trim of a long list stays cheap.
        let cost = |item: Vec<u8>| item.len() + ELEMENT_OVERHEAD_BYTES;
        let tail: usize = self.items.drain(end..).map(cost).sum();
        let head: usize = self.items.drain(..start).map(cost).sum();
        self.bytes -= tail + head;
    }

    /// Removes elements equal to `element` and returns how many (LREM): at most `limit` of them
    /// if given, the ones nearest the tail first if `from_tail`, else the ones nearest the head.
    pub fn remove_matching(
        &mut self,
        element: &[u8],
        limit: Option<usize>,
        from_tail: bool,
    ) -> usize {
        let matches = self
            .items
            .iter()
            .filter(|item| item.as_slice() == element)
            .count();
        let to_remove = limit.map_or(matches, |limit| limit.min(matches));
        // Walking from the head, the matches to keep are the first ones when removing from the
        // tail; one pass then removes the right ones whichever side they are counted from.
        let mut to_skip = if from_tail { matches - to_remove } else { 0 };
        let mut left = to_remove;
        let mut freed = 0;
        self.items.retain(|item| {
            if left == 0 || item.as_slice() != element {
                return true;
            }
            if to_skip > 0 {
                to_skip -= 1;
                return true;
            }
            left -= 1;
            freed += item.len() + ELEMENT_OVERHEAD_BYTES;
            false
        });
        self.bytes -= freed;
        to_remove
    }

    /// Elements `start..end` from the head, bounds clamped to the list.
    pub fn range(&self, start: usize, end: usize) -> impl DoubleEndedIterator<Item = &Vec<u8>> {
        let end = end.min(self.items.len());
        self.items.range(start.min(end)..end)
    }

    /// Elements from head to tail.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Vec<u8>> + ExactSizeIterator {
        self.items.iter()
    }

    /// Estimated payload bytes.
    pub fn memory_bytes(&self) -> usize {
        self.bytes
    }
}

impl FromIterator<Vec<u8>> for ListValue {
    fn from_iter<I: IntoIterator<Item = Vec<u8>>>(items: I) -> Self {
        let mut list = ListValue::default();
        items.into_iter().for_each(|item| list.push_back(item));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn list(items: &[&str]) -> ListValue {
        items.iter().map(|item| item.as_bytes().to_vec()).collect()
    }

    #[test]
    fn remove_matching_counts_from_the_chosen_end() {
        let mut from_head = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(from_head.remove_matching(b"a", Some(2), false), 2);
        assert_eq!(from_head, list(&["b", "c", "a"]));
        let mut from_tail = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(from_tail.remove_matching(b"a", Some(2), true), 2);
        assert_eq!(from_tail, list(&["a", "b", "c"]));
        let mut all = list(&["a", "b", "a"]);
        assert_eq!(all.remove_matching(b"a", None, true), 2);
        assert_eq!(all, list(&["b"]));
        assert_eq!(all.memory_bytes(), list(&["b"]).memory_bytes());
    }

    #[test]
    fn retain_range_clamps_and_keeps_the_byte_count() {
        let mut items = list(&["aa", "b", "cccc", "d"]);
        items.retain_range(1, 99);
        assert_eq!(items, list(&["b", "cccc", "d"]));
        assert_eq!(
            items.memory_bytes(),
            list(&["b", "cccc", "d"]).memory_bytes()
        );
        items.retain_range(5, 2);
        assert!(items.is_empty());
        assert_eq!(items.memory_bytes(), 0);
    }

    #[test]
    fn range_clamps_to_the_list() {
        let items = list(&["a", "b", "c"]);
        assert_eq!(items.range(1, 99).count(), 2);
        assert_eq!(items.range(5, 9).count(), 0);
        assert_eq!(items.range(2, 1).count(), 0);
    }
}
