//! The one reducer: every change the page makes goes through [`Playground::reduce`], which
//! changes the [`World`] and takes fresh views of it for the components.
//!
//! The world is shared (`Rc<RefCell<World>>`), not cloned: a timeline with its checkpoints is too
//! big to copy per action. What makes Yew re-render is the new [`Playground`] value around it,
//! with a new `version` and new views (Yew 0.23 skips re-rendering when the same `Rc` comes back,
//! which is what a frame that changed nothing returns).

use std::cell::RefCell;
use std::rc::Rc;

use yew::{Callback, Reducible};

use crate::sim::inspect::ReplView;
use crate::sim::network::{Host, LinkConfig, NodeId};
use crate::sim::view::SimView;
use crate::sim::Fault;

use super::terminal::TerminalView;
use super::world::{ClockView, LagSample, Marker, NodeLog, World};

/// While time runs, the replication panels (and the node cards' numbers) are read again at
/// most this often (real milliseconds): text changing 60 times a second cannot be read, and
/// laying it out every frame costs the page most of its frame time. Anything the user does, and
/// every step while paused, reads them at once.
pub const PANELS_REFRESH_MS: f64 = 100.0;

/// A view shared by the reducer and the components, compared by identity: every change builds
/// a new one, so "the same Rc" means "unchanged" (and a deep comparison of a whole simulation view
/// on every render would cost time and code).
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the user opened or chose in the page, apart from the simulation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Selection {
    /// The link whose menu is open: its two ends.
    pub link: Option<(Host, Host)>,
    /// The backlog stretch being inspected: (node, stretch).
    pub segment: Option<(NodeId, u64)>,
    /// The console tab chosen for narrow screens, if one was.
    pub console: Option<NodeId>,
}

/// What the page shows, at one point in time.
#[derive(Clone)]
pub struct Playground {
    world: Rc<RefCell<World>>,
    /// The simulation: nodes, links, segments in flight.
    pub view: Shared<SimView>,
    /// Every node's replication state (read at `panels_at_us`).
    pub repl: Shared<ReplView>,
    /// The nodes' logs (read at `panels_at_us`).
    pub logs: Rc<Vec<NodeLog>>,
    /// The replicas' lag over time (read at `panels_at_us`).
    pub lag: Rc<Vec<LagSample>>,
    /// The virtual time the panels were read at, in microseconds ([`PANELS_REFRESH_MS`]).
    pub panels_at_us: u64,
    /// The real time of the frame that read them, if a frame did.
    panels_real_ms: Option<f64>,
    /// The consoles, in node order.
    pub terminals: Rc<Vec<TerminalView>>,
    /// The clock.
    pub clock: ClockView,
    /// Faults and changes, for the timeline.
    pub markers: Rc<Vec<Marker>>,
    /// The seed of the run.
    pub seed: u64,
    /// Why the last request was refused (too many nodes, no such node...), until the next one.
    pub notice: Option<Rc<str>>,
    /// What the user opened or chose.
    pub selection: Selection,
    version: u64,
}

/// Everything the page can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame at this real time (milliseconds, `performance.now()`).
    Frame { real_ms: f64 },
    /// Play or pause.
    SetRunning(bool),
    /// Play if paused, pause if playing (Space).
    TogglePause,
    /// Run to the next event, paused.
    Step,
    /// Virtual time per real time, as a power of ten in hundredths (0: 1×, 300: 1000×).
    SetSpeed(i32),
    /// Show virtual time `at_us` (microseconds since the Unix epoch).
    ScrubTo { at_us: u64 },
    /// The tab was hidden (true) or shown again.
    Hidden(bool),
    /// A line typed at a node's console.
    RunLine { node: NodeId, line: String },
    /// A fault from the fault vocabulary.
    Fault(Fault),
    /// New settings for both directions between two hosts.
    SetLink {
        a: Host,
        b: Host,
        config: LinkConfig,
    },
    /// One more node, with its console.
    AddNode,
    /// A node leaves.
    RemoveNode(NodeId),
    /// Start again from this seed.
    Restart { seed: u64 },
    /// The world was changed outside the reducer (the JS API): take fresh views.
    Refresh,
    /// Open the menu of the link between two hosts (close it if it is open).
    ToggleLinkMenu(Host, Host),
    /// Close the link menu.
    CloseLinkMenu,
    /// Inspect a stretch of a node's backlog ring: (node, stretch); None: stop.
    InspectSegment(Option<(NodeId, u64)>),
    /// Show this node's console on narrow screens.
    ChooseConsole(NodeId),
}

/// An event handler that sends `action`, whatever the event. Every button of the page shares
/// this one closure (each closure written out per button would add its own code to the page).
pub fn sends<E: 'static>(on_action: &Callback<Action>, action: Action) -> Callback<E> {
    on_action.reform(move |_| action.clone())
}

/// An event handler that sends the action `action_of` makes of the event, if it makes one.
pub fn sends_from<E: 'static>(
    on_action: &Callback<Action>,
    action_of: impl Fn(E) -> Option<Action> + 'static,
) -> Callback<E> {
    let on_action = on_action.clone();
    Callback::from(move |event| {
        if let Some(action) = action_of(event) {
            on_action.emit(action);
        }
    })
}

impl Playground {
    /// A fresh run from `seed`, playing if `running`.
    pub fn new(seed: u64, running: bool) -> Playground {
        let mut world = World::new(seed);
        world.set_running(running);
        Playground::around(
            Rc::new(RefCell::new(world)),
            0,
            None,
            None,
            None,
            Selection::default(),
        )
    }

    /// Views of `world` as it is now; the panels' views too, unless `keep_panels` gives
    /// recent enough ones to keep.
    fn around(
        world: Rc<RefCell<World>>,
        version: u64,
        notice: Option<Rc<str>>,
        keep_panels: Option<&Playground>,
        real_ms: Option<f64>,
        selection: Selection,
    ) -> Playground {
        let (view, terminals, clock, markers, seed) = {
            let world = world.borrow();
            (
                Shared(Rc::new(world.sim_view())),
                Rc::new(world.terminal_views()),
                world.clock(),
                world.markers(),
                world.seed(),
            )
        };
        let (repl, logs, lag, panels_at_us, panels_real_ms) = match keep_panels {
            Some(previous) => (
                previous.repl.clone(),
                previous.logs.clone(),
                previous.lag.clone(),
                previous.panels_at_us,
                previous.panels_real_ms,
            ),
            None => {
                let world = world.borrow();
                (
                    Shared(Rc::new(world.repl_view())),
                    world.logs(),
                    world.lag(),
                    clock.now_us,
                    real_ms,
                )
            }
        };
        Playground {
            world,
            view,
            repl,
            logs,
            lag,
            panels_at_us,
            panels_real_ms,
            terminals,
            clock,
            markers,
            seed,
            notice,
            selection,
            version,
        }
    }

    /// The selection after `action`, if it is one of the page's own choices (which leave the
    /// simulation alone).
    fn select(&self, action: &Action) -> Option<Selection> {
        let mut selection = self.selection;
        match *action {
            Action::ToggleLinkMenu(a, b) => {
                let open = selection.link != Some((a, b));
                selection.link = open.then_some((a, b));
            }
            Action::CloseLinkMenu => selection.link = None,
            Action::InspectSegment(segment) => selection.segment = segment,
            Action::ChooseConsole(node) => selection.console = Some(node),
            _ => return None,
        }
        Some(selection)
    }

    /// The world, for the JS API (which changes it and then dispatches [`Action::Refresh`]).
    pub fn world(&self) -> Rc<RefCell<World>> {
        self.world.clone()
    }
}

impl PartialEq for Playground {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.world, &other.world)
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // The page's own choices leave the world alone (and keep the notice on screen).
        if let Some(selection) = self.select(&action) {
            if selection == self.selection {
                return self;
            }
            return Rc::new(Playground {
                selection,
                version: self.version + 1,
                ..(*self).clone()
            });
        }
        // A frame or a refresh keeps the last notice on screen; anything the user does clears it.
        let passive = matches!(action, Action::Frame { .. } | Action::Refresh);
        let mut frame_ms = None;
        if let Action::Frame { real_ms } = action {
            let moved = self.world.borrow_mut().frame(real_ms);
            if !moved {
                // Nothing moved: the same Rc, so nothing re-renders.
                return self;
            }
            frame_ms = Some(real_ms);
        }
        let outcome: Result<(), String> = {
            let mut world = self.world.borrow_mut();
            match action {
                // (The page's own choices returned above.)
                Action::Frame { .. }
                | Action::Refresh
                | Action::ToggleLinkMenu(..)
                | Action::CloseLinkMenu
                | Action::InspectSegment(_)
                | Action::ChooseConsole(_) => Ok(()),
                Action::SetRunning(running) => {
                    world.set_running(running);
                    Ok(())
                }
                Action::TogglePause => {
                    let running = !world.running();
                    world.set_running(running);
                    Ok(())
                }
                Action::Step => {
                    world.step();
                    Ok(())
                }
                Action::SetSpeed(speed) => {
                    world.set_speed_centi(speed);
                    Ok(())
                }
                Action::ScrubTo { at_us } => {
                    world.scrub_to(at_us);
                    Ok(())
                }
                Action::Hidden(hidden) => {
                    world.set_hidden(hidden);
                    Ok(())
                }
                Action::RunLine { node, line } => world.run_line(node, &line),
                Action::Fault(fault) => world.fault(fault),
                Action::SetLink { a, b, config } => world.set_link(a, b, config),
                Action::AddNode => world.add_node().map(|_| ()),
                Action::RemoveNode(node) => world.remove_node(node),
                Action::Restart { seed } => {
                    let running = world.running();
                    *world = World::new(seed);
                    world.set_running(running);
                    Ok(())
                }
            }
        };
        let notice = match outcome {
            Err(error) => Some(error.into()),
            Ok(()) if passive => self.notice.clone(),
            Ok(()) => None,
        };
        // A frame soon after the panels were read keeps them.
        let recent = match (frame_ms, self.panels_real_ms) {
            (Some(now), Some(read)) => now >= read && now - read < PANELS_REFRESH_MS,
            _ => false,
        };
        Rc::new(Playground::around(
            self.world.clone(),
            self.version + 1,
            notice,
            recent.then_some(&*self),
            frame_ms,
            self.selection,
        ))
    }
}
