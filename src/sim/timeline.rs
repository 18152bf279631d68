//! Time travel: scrub back to any earlier virtual time within the horizon, and fork.
//!
//! Every input from outside (a command typed, a fault, a link change, a node added) goes through
//! [`Timeline::apply`], which records it with the exact point of the run it happened at (the
//! step count and the virtual time). Periodic checkpoints clone the whole simulation. Going back
//! to time `t` restores the last checkpoint before `t` and replays the recorded inputs up to `t`;
//! because the simulation is deterministic, that reproduces the past exactly. Acting while in the
//! past forks: the inputs that came after are discarded, as RaftScope does.
//!
//! Memory is bounded: at most [`CHECKPOINTS_MAX`] checkpoints (when full, every other one is
//! dropped, so the whole run stays reachable with coarser restore points) and at most
//! [`INPUTS_MAX`] recorded inputs (beyond that the oldest history is forgotten and the horizon
//! moves forward).

use std::collections::VecDeque;

use super::network::{ClientId, LinkConfig, NodeId, Path};
use super::{Fault, Sim, SimError};
use crate::engine::Instant;

/// Checkpoints kept at most.
pub const CHECKPOINTS_MAX: usize = 64;
/// Inputs recorded at most.
pub const INPUTS_MAX: usize = 100_000;

/// An input from outside the simulation.
#[derive(Clone, Debug, PartialEq)]
pub enum SimInput {
    /// A client sends a command.
    Command {
        client: ClientId,
        args: Vec<Vec<u8>>,
    },
    /// A new client connects to a node.
    AddClient { node: NodeId },
    /// A fault is applied now.
    Fault(Fault),
    /// A fault is planned for later.
    ScheduleFault { at: Instant, fault: Fault },
    /// One direction's link settings change.
    SetLink { path: Path, config: LinkConfig },
    /// A node joins.
    AddNode,
    /// A node leaves.
    RemoveNode(NodeId),
}

/// A recorded input and where in the run it happened.
#[derive(Clone, Debug, PartialEq)]
struct Recorded {
    steps: u64,
    at: Instant,
    input: SimInput,
}

/// A copy of the whole simulation, and how many recorded inputs it had seen.
#[derive(Clone, Debug)]
struct Checkpoint {
    sim: Sim,
    inputs_seen: usize,
}

/// A simulation with its recorded past.
#[derive(Clone, Debug)]
pub struct Timeline {
    sim: Sim,
    inputs: VecDeque<Recorded>,
    /// Inputs forgotten from the front of `inputs` (so indexes stay meaningful).
    inputs_forgotten: usize,
    checkpoints: VecDeque<Checkpoint>,
    /// Virtual time between checkpoints.
    checkpoint_every_ms: u64,
    /// The latest time the run reached; after a scrub back, `sim.now()` is earlier.
    present: Instant,
    /// Recorded inputs (counting forgotten ones) the current `sim` has applied.
    inputs_applied: usize,
}

impl Timeline {
    /// Starts recording `sim`, with a checkpoint every `checkpoint_every_ms` of virtual time.
    pub fn new(sim: Sim, checkpoint_every_ms: u64) -> Timeline {
        let present = sim.now();
        let first = Checkpoint {
            sim: sim.clone(),
            inputs_seen: 0,
        };
        Timeline {
            sim,
            inputs: VecDeque::new(),
            inputs_forgotten: 0,
            checkpoints: VecDeque::from([first]),
            checkpoint_every_ms: checkpoint_every_ms.max(1),
            present,
            inputs_applied: 0,
        }
    }

    /// The simulation at the current point.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// The earliest and latest virtual times that can be reached.
    pub fn horizon(&self) -> (Instant, Instant) {
        let earliest = self
            .checkpoints
            .front()
            .map_or(self.present, |checkpoint| checkpoint.sim.now());
        (earliest, self.present)
    }

    /// Whether the current point is earlier than the latest one reached (or at its instant but
    /// before inputs recorded there).
    pub fn in_the_past(&self) -> bool {
        self.sim.now() < self.present
            || self.inputs_applied < self.inputs_forgotten + self.inputs.len()
    }

    /// Applies an input now, recording it. In the past, this forks: the later history goes.
    pub fn apply(&mut self, input: SimInput) -> Result<(), SimError> {
        if self.in_the_past() {
            self.fork();
        }
        apply_input(&mut self.sim, &input)?;
        self.inputs.push_back(Recorded {
            steps: self.sim.steps(),
            at: self.sim.now(),
            input,
        });
        self.inputs_applied = self.inputs_forgotten + self.inputs.len();
        if self.inputs.len() > INPUTS_MAX {
            self.forget_oldest_input();
        }
        Ok(())
    }

    /// Runs forward to `until` (replaying recorded inputs if in the past), checkpointing as it goes.
    pub fn advance_to(&mut self, until: Instant) {
        if self.in_the_past() {
            self.replay_to(until.min(self.present));
            if until <= self.present {
                return;
            }
        }
        while self.sim.now() < until {
            let last = self
                .checkpoints
                .back()
                .map_or(self.sim.now(), |checkpoint| checkpoint.sim.now());
            let next_checkpoint = last.add_millis(self.checkpoint_every_ms);
            self.sim.run_until(next_checkpoint.min(until));
            if self.sim.now() >= next_checkpoint {
                self.checkpoint();
            }
        }
        self.present = self.present.max(self.sim.now());
    }

    /// At the present, processes the events already due at the current instant (a zero-latency
    /// delivery an input just caused) without moving time, so a paused page still sees what
    /// takes no time. In the past it does nothing: replay owns the past.
    pub fn settle(&mut self) {
        if !self.in_the_past() {
            let now = self.sim.now();
            self.sim.run_until(now);
        }
    }

    /// Goes to virtual time `at` (clamped to the horizon), forward or back.
    pub fn scrub_to(&mut self, at: Instant) {
        let (earliest, latest) = self.horizon();
        let at = at.clamp(earliest, latest);
        if at > self.sim.now() || (at == self.sim.now() && at == latest) {
            self.replay_to(at);
            return;
        }
        self.restore_before(at);
        self.replay_to(at);
    }

    /// Restores the last checkpoint at or before `at`.
    fn restore_before(&mut self, at: Instant) {
        let checkpoint = self
            .checkpoints
            .iter()
            .rev()
            .find(|checkpoint| checkpoint.sim.now() <= at)
            .or(self.checkpoints.front())
            .cloned();
        if let Some(checkpoint) = checkpoint {
            self.sim = checkpoint.sim;
            self.inputs_applied = checkpoint.inputs_seen;
        }
    }

    /// Runs forward to `until` ≤ present, re-applying recorded inputs at their exact points.
    ///
    /// The state "at `t`" is the one the run had when it reached `t`, before any input given at
    /// that instant; only the present includes the inputs given at it.
    fn replay_to(&mut self, until: Instant) {
        let reaching_present = until >= self.present;
        let seen = self.inputs_applied.saturating_sub(self.inputs_forgotten);
        let mut last_input_at_until = false;
        for recorded in self.inputs.iter().skip(seen) {
            if recorded.at > until || (recorded.at == until && !reaching_present) {
                break;
            }
            while self.sim.steps() < recorded.steps && self.sim.step() {}
            self.sim.set_now(recorded.at);
            let _ = apply_input(&mut self.sim, &recorded.input);
            self.inputs_applied += 1;
            last_input_at_until = recorded.at == until;
        }
        if last_input_at_until {
            // The run had processed nothing after these inputs when it was at this instant.
            self.sim.set_now(until);
        } else {
            self.sim.run_until(until);
        }
    }

    /// Discards everything after the current point: inputs and checkpoints.
    fn fork(&mut self) {
        self.inputs
            .truncate(self.inputs_applied.saturating_sub(self.inputs_forgotten));
        let now = self.sim.now();
        self.checkpoints
            .retain(|checkpoint| checkpoint.sim.now() <= now);
        self.present = now;
    }

    fn checkpoint(&mut self) {
        let inputs_seen = self.inputs_forgotten + self.inputs.len();
        self.checkpoints.push_back(Checkpoint {
            sim: self.sim.clone(),
            inputs_seen,
        });
        if self.checkpoints.len() > CHECKPOINTS_MAX {
            // Keep the first and every other one after it: the whole run stays reachable.
            let mut index = 0;
            self.checkpoints.retain(|_| {
                index += 1;
                index % 2 == 1
            });
            self.checkpoint_every_ms = self.checkpoint_every_ms.saturating_mul(2);
        }
    }

    /// Drops the oldest recorded input and the checkpoints that would need it.
    fn forget_oldest_input(&mut self) {
        self.inputs.pop_front();
        self.inputs_forgotten += 1;
        let forgotten = self.inputs_forgotten;
        while self.checkpoints.len() > 1
            && self
                .checkpoints
                .front()
                .is_some_and(|c| c.inputs_seen < forgotten)
        {
            self.checkpoints.pop_front();
        }
    }
}

/// Carries out one input on a simulation.
fn apply_input(sim: &mut Sim, input: &SimInput) -> Result<(), SimError> {
    match input {
        SimInput::Command { client, args } => sim.client_send(*client, args),
        SimInput::AddClient { node } => sim.add_client(*node).map(|_| ()),
        SimInput::Fault(fault) => {
            sim.apply_fault(*fault);
            Ok(())
        }
        SimInput::ScheduleFault { at, fault } => {
            sim.schedule_fault(*at, *fault);
            Ok(())
        }
        SimInput::SetLink { path, config } => {
            sim.set_link(*path, *config);
            Ok(())
        }
        SimInput::AddNode => sim.add_node().map(|_| ()),
        SimInput::RemoveNode(node) => sim.remove_node(*node),
    }
}
