//! [`Backlog`]: the replication backlog, a ring of exactly `repl-backlog-size` bytes.
//!
//! The ring holds the newest bytes of the replication stream, so a replica that reconnects can
//! continue from its offset if that offset is still inside (design decision 4: Redis 7 keeps a
//! list of blocks that can briefly hold more; the README lists the deviation). Memory grows with
//! what was written, up to the size, in chunks that clones share until they write.

/// Bytes per shared chunk of the ring.
const CHUNK_BYTES: usize = 16 * 1024;

/// The ring's storage: chunks allocated as the write head first reaches them, and shared
/// between clones until written (the simulator's time-travel checkpoints clone every node, and
/// a clone must not copy a megabyte of backlog).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Chunks(Vec<std::sync::Arc<Vec<u8>>>);

impl Chunks {
    /// Writes `bytes` at ring position `position` (they fit before the ring's end).
    fn write(&mut self, mut position: usize, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let index = position / CHUNK_BYTES;
            while self.0.len() <= index {
                self.0.push(std::sync::Arc::new(vec![0; CHUNK_BYTES]));
            }
            let chunk = std::sync::Arc::make_mut(&mut self.0[index]);
            let within = position % CHUNK_BYTES;
            let taken = bytes.len().min(CHUNK_BYTES - within);
            chunk[within..within + taken].copy_from_slice(&bytes[..taken]);
            position += taken;
            bytes = &bytes[taken..];
        }
    }

    /// Appends `len` bytes from ring position `position` to `out`.
    fn read(&self, mut position: usize, mut len: usize, out: &mut Vec<u8>) {
        while len > 0 {
            let within = position % CHUNK_BYTES;
            let taken = len.min(CHUNK_BYTES - within);
            match self.0.get(position / CHUNK_BYTES) {
                Some(chunk) => out.extend_from_slice(&chunk[within..within + taken]),
                None => out.resize(out.len() + taken, 0),
            }
            position += taken;
            len -= taken;
        }
    }

    fn get(&self, position: usize) -> Option<u8> {
        let chunk = self.0.get(position / CHUNK_BYTES)?;
        chunk.get(position % CHUNK_BYTES).copied()
    }

    fn allocated_bytes(&self) -> usize {
        self.0.len() * CHUNK_BYTES
    }
}

/// The replication backlog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backlog {
    /// The ring's bytes.
    ring: Chunks,
    /// The ring's capacity (`repl-backlog-size`).
    size_bytes: usize,
    /// Where the next byte goes.
    head: usize,
    /// Valid bytes (`repl_backlog_histlen`).
    histlen: usize,
    /// The offset of the last byte written (`master_repl_offset`).
    end_offset: u64,
    /// How many times the write head passed the end of the ring.
    wraps: u64,
}

impl Backlog {
    /// An empty backlog whose next byte will have offset `end_offset + 1` (Redis's
    /// `createReplicationBacklog`: `repl_backlog_off = master_repl_offset + 1`).
    pub fn new(size_bytes: usize, end_offset: u64) -> Backlog {
        Backlog {
            ring: Chunks::default(),
            size_bytes: size_bytes.max(1),
            head: 0,
            histlen: 0,
            end_offset,
            wraps: 0,
        }
    }

    /// Appends stream bytes, overwriting the oldest once full.
    pub fn append(&mut self, bytes: &[u8]) {
        self.end_offset += bytes.len() as u64;
        self.histlen = (self.histlen + bytes.len()).min(self.size_bytes);
        let bytes = if bytes.len() > self.size_bytes {
            // Only the newest `size_bytes` survive; the head moves as if all were written.
            let skipped = bytes.len() - self.size_bytes;
            self.advance_head(skipped);
            &bytes[skipped..]
        } else {
            bytes
        };
        let first = bytes.len().min(self.size_bytes - self.head);
        self.ring.write(self.head, &bytes[..first]);
        self.advance_head(first);
        let rest = &bytes[first..];
        self.ring.write(self.head, rest);
        self.advance_head(rest.len());
    }

    fn advance_head(&mut self, bytes: usize) {
        let position = self.head + bytes;
        self.wraps += (position / self.size_bytes) as u64;
        self.head = position % self.size_bytes;
    }

    /// The offset of the oldest byte held (`repl_backlog_first_byte_offset`).
    pub fn first_byte_offset(&self) -> u64 {
        self.end_offset + 1 - self.histlen as u64
    }

    /// The offset of the newest byte (`master_repl_offset`).
    pub fn end_offset(&self) -> u64 {
        self.end_offset
    }

    /// Valid bytes held (`repl_backlog_histlen`).
    pub fn histlen(&self) -> usize {
        self.histlen
    }

    /// The ring's size (`repl-backlog-size`).
    pub fn size_bytes(&self) -> usize {
        self.size_bytes
    }

    /// Bytes the ring occupies (`mem_replication_backlog`): chunks are allocated as the write
    /// head first reaches them.
    pub fn allocated_bytes(&self) -> usize {
        self.ring.allocated_bytes().min(self.size_bytes)
    }

    /// Where the next byte will be written, as a position in the ring.
    pub fn head(&self) -> usize {
        self.head
    }

    /// How many times the write head wrapped around.
    pub fn wraps(&self) -> u64 {
        self.wraps
    }

    /// Whether a replica whose next needed byte is `offset` can continue from here: the offset
    /// lies in `first_byte_offset ..= end_offset + 1` (exactly caught up gets zero bytes).
    pub fn covers(&self, offset: u64) -> bool {
        offset >= self.first_byte_offset() && offset <= self.end_offset + 1
    }

    /// The bytes from `offset` to the end, if the backlog still holds them.
    pub fn copy_from(&self, offset: u64) -> Option<Vec<u8>> {
        if !self.covers(offset) {
            return None;
        }
        let wanted = (self.end_offset + 1 - offset) as usize;
        Some(self.copy_last(wanted))
    }

    /// The newest `count` bytes (at most `histlen`), oldest first.
    fn copy_last(&self, count: usize) -> Vec<u8> {
        let count = count.min(self.histlen);
        let mut out = Vec::with_capacity(count);
        let start = (self.head + self.size_bytes - count) % self.size_bytes;
        let first = count.min(self.size_bytes - start);
        self.ring.read(start, first, &mut out);
        self.ring.read(0, count - first, &mut out);
        out
    }

    /// The byte at ring position `position`, if it holds a valid byte (for the UI's ring view),
    /// with that byte's stream offset.
    pub fn byte_at(&self, position: usize) -> Option<(u64, u8)> {
        if position >= self.size_bytes {
            return None;
        }
        let age = (self.head + self.size_bytes - 1 - position) % self.size_bytes;
        if age >= self.histlen {
            return None;
        }
        Some((self.end_offset - age as u64, self.ring.get(position)?))
    }

    /// The ring with a new size, keeping the newest bytes that fit (Redis's
    /// `resizeReplicationBacklog`, which keeps the data, as 7.0 does).
    pub fn resized(&self, size_bytes: usize) -> Backlog {
        let kept = self.copy_last(size_bytes.min(self.histlen));
        let mut backlog = Backlog::new(size_bytes, self.end_offset - kept.len() as u64);
        backlog.append(&kept);
        backlog.wraps = 0;
        backlog
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_new_backlog_starts_after_the_current_offset_and_holds_nothing() {
        let backlog = Backlog::new(16, 100);
        assert_eq!(backlog.first_byte_offset(), 101);
        assert_eq!(backlog.histlen(), 0);
        assert!(
            backlog.covers(101),
            "a caught-up replica continues with 0 bytes"
        );
        assert!(!backlog.covers(100));
        assert_eq!(backlog.copy_from(101), Some(Vec::new()));
    }

    #[test]
    fn wrapping_keeps_exactly_the_newest_size_bytes() {
        let mut backlog = Backlog::new(8, 0);
        backlog.append(b"abcdef");
        assert_eq!(backlog.wraps(), 0);
        backlog.append(b"ghijk");
        assert_eq!(backlog.histlen(), 8);
        assert_eq!(backlog.wraps(), 1);
        assert_eq!(backlog.end_offset(), 11);
        assert_eq!(backlog.first_byte_offset(), 4);
        assert_eq!(backlog.copy_from(4).unwrap(), b"defghijk");
        assert_eq!(backlog.copy_from(10).unwrap(), b"jk");
        assert_eq!(backlog.copy_from(3), None, "overwritten");
        assert_eq!(backlog.copy_from(13), None, "beyond the end");
    }

    #[test]
    fn a_write_bigger_than_the_ring_keeps_its_tail() {
        let mut backlog = Backlog::new(4, 0);
        backlog.append(b"xy");
        backlog.append(b"0123456789");
        assert_eq!(backlog.copy_from(9).unwrap(), b"6789");
        assert_eq!(backlog.end_offset(), 12);
        assert_eq!(backlog.wraps(), 3);
    }

    #[test]
    fn ring_positions_map_to_offsets() {
        let mut backlog = Backlog::new(4, 0);
        backlog.append(b"abcde");
        // Ring: [e, b, c, d], head at 1; offsets b=2 c=3 d=4 e=5.
        assert_eq!(backlog.head(), 1);
        assert_eq!(backlog.byte_at(0), Some((5, b'e')));
        assert_eq!(backlog.byte_at(1), Some((2, b'b')));
        assert_eq!(backlog.byte_at(3), Some((4, b'd')));
        let fresh = Backlog::new(4, 0);
        assert_eq!(fresh.byte_at(0), None);
    }

    #[test]
    fn clones_share_chunks_until_one_writes() {
        let mut backlog = Backlog::new(3 * CHUNK_BYTES, 0);
        backlog.append(&vec![b'a'; 2 * CHUNK_BYTES]);
        let checkpoint = backlog.clone();
        backlog.append(b"bc");
        assert!(std::sync::Arc::ptr_eq(
            &backlog.ring.0[0],
            &checkpoint.ring.0[0]
        ));
        assert_eq!(
            checkpoint.copy_from(1).unwrap(),
            vec![b'a'; 2 * CHUNK_BYTES]
        );
        assert_eq!(
            backlog.copy_from(2 * CHUNK_BYTES as u64 + 1).unwrap(),
            b"bc"
        );
    }

    #[test]
    fn reads_across_chunk_boundaries_and_the_wrap() {
        let size = 2 * CHUNK_BYTES + 7;
        let mut backlog = Backlog::new(size, 0);
        let stream: Vec<u8> = (0..3 * size).map(|i| (i % 251) as u8).collect();
        for piece in stream.chunks(1_000) {
            backlog.append(piece);
        }
        let first = backlog.first_byte_offset();
        assert_eq!(
            backlog.copy_from(first).unwrap(),
            &stream[stream.len() - size..]
        );
    }

    #[test]
    fn resizing_keeps_the_newest_bytes() {
        let mut backlog = Backlog::new(8, 0);
        backlog.append(b"abcdefgh");
        let smaller = backlog.resized(3);
        assert_eq!(smaller.first_byte_offset(), 6);
        assert_eq!(smaller.copy_from(6).unwrap(), b"fgh");
        let bigger = smaller.resized(100);
        assert_eq!(bigger.copy_from(6).unwrap(), b"fgh");
        assert_eq!(bigger.end_offset(), 8);
    }
}
