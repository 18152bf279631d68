//! The one reducer: every change to what the page shows goes through [`Playground::reduce`].

use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

use crate::cli::Session;
use crate::engine::Instant;

/// Console lines kept per node; older ones scroll away, so a long session cannot exhaust memory.
pub const TRANSCRIPT_ENTRIES_MAX: usize = 1000;

/// One typed line and what was printed for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranscriptEntry {
    /// The prompt the line was typed at.
    pub prompt: String,
    /// The line as typed.
    pub input: String,
    /// What redis-cli would print (may be empty, for a blank line).
    pub output: String,
}

/// Everything the page shows.
pub struct Playground {
    /// The console's connection to its node. Shared, not cloned: a reducer step returns a new
    /// `Playground` around the same session.
    session: Rc<RefCell<Session>>,
    /// The console's prompt, as redis-cli prints it (`host:port> `).
    pub prompt: String,
    /// The console's history, oldest first, at most [`TRANSCRIPT_ENTRIES_MAX`] entries.
    pub transcript: Rc<Vec<TranscriptEntry>>,
}

/// The page's clock, in the engine's terms (the simulator will replace it with virtual time).
fn page_now() -> Instant {
    Instant::from_millis(js_sys::Date::now() as u64)
}

impl Default for Playground {
    fn default() -> Self {
        let now = page_now();
        Playground {
            session: Rc::new(RefCell::new(Session::new(now, now.as_micros()))),
            prompt: "127.0.0.1:6379> ".to_string(),
            transcript: Rc::new(Vec::new()),
        }
    }
}

impl PartialEq for Playground {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.transcript, &other.transcript)
    }
}

/// What the user can do.
pub enum Action {
    /// A line typed into the console and submitted with Enter.
    RunLine(String),
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::RunLine(line) => {
                let output = self.session.borrow_mut().run_line(page_now(), &line);
                let mut transcript = (*self.transcript).clone();
                transcript.push(TranscriptEntry {
                    prompt: self.prompt.clone(),
                    input: line,
                    output,
                });
                let excess = transcript.len().saturating_sub(TRANSCRIPT_ENTRIES_MAX);
                transcript.drain(..excess);
                Rc::new(Playground {
                    session: Rc::clone(&self.session),
                    prompt: self.prompt.clone(),
                    transcript: Rc::new(transcript),
                })
            }
        }
    }
}
