//! [`Deque`]: a `VecDeque` whose `Clone` compiles small.
//!
//! `VecDeque`'s own `clone` extends an empty deque through its generic `extend` machinery,
//! several hundred bytes of WebAssembly per element type, and the simulator's time travel clones
//! every deque it holds. Cloning the deque's two slices into one vector is a fraction of that.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};

/// A `VecDeque` (it dereferences to one) with a smaller `Clone`.
#[derive(Debug, PartialEq, Eq)]
pub struct Deque<T>(VecDeque<T>);

impl<T> Default for Deque<T> {
    fn default() -> Self {
        Deque::new()
    }
}

impl<T> Deque<T> {
    /// An empty deque (allocates nothing).
    pub const fn new() -> Deque<T> {
        Deque(VecDeque::new())
    }
}

impl<T: Clone> Clone for Deque<T> {
    fn clone(&self) -> Self {
        let (front, back) = self.0.as_slices();
        // Two calls keep `extend_from_slice` out of line, one copy per element type; `concat`
        // (or one call in a loop) inlines its cloning loop into every caller, 450 B more gzip.
        let mut items = Vec::with_capacity(self.0.len());
        items.extend_from_slice(front);
        items.extend_from_slice(back);
        Deque(VecDeque::from(items))
    }
}

impl<T> Deref for Deque<T> {
    type Target = VecDeque<T>;
    fn deref(&self) -> &VecDeque<T> {
        &self.0
    }
}

impl<T> DerefMut for Deque<T> {
    fn deref_mut(&mut self) -> &mut VecDeque<T> {
        &mut self.0
    }
}

impl<'a, T> IntoIterator for &'a Deque<T> {
    type Item = &'a T;
    type IntoIter = std::collections::vec_deque::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
