//! Lists (Redis 7.0 encodes every list as a `quicklist`).

use std::collections::VecDeque;

/// Bytes we count per element on top of its payload (a listpack entry header in a quicklist node).
const ELEMENT_OVERHEAD_BYTES: usize = 2;

/// A list of byte strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListValue {
    items: VecDeque<Vec<u8>>,
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

    /// Keeps only elements `start..end` (LTRIM).
    pub fn retain_range(&mut self, start: usize, end: usize) {
        let end = end.min(self.items.len());
        let start = start.min(end);
        self.items.truncate(end);
        self.items.drain(..start);
        self.bytes = self
            .items
            .iter()
            .map(|item| item.len() + ELEMENT_OVERHEAD_BYTES)
            .sum();
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
