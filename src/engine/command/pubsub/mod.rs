//! Pub/sub: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH,
//! SPUBLISH and PUBSUB, with RESP2's message formats.
//!
//! Each client's subscriptions live in its [`Client`] ([`Subscriptions`]); the node-wide view is
//! derived from all clients, in connection order, so a disconnect needs no cleanup. Messages for
//! other connections go out through `NodeState::pending_pushes`; one for the publisher itself (only
//! possible inside EXEC) goes into its reply stream in place. A client with any subscription is in
//! subscriber mode: `process` then refuses all but the commands flagged `PUBSUB_CONTEXT`.
//! Shard channels (SSUBSCRIBE, SPUBLISH) are a namespace of their own, without patterns.

mod publish;
mod pubsub_channels;
mod pubsub_help;
mod pubsub_numpat;
mod pubsub_numsub;
mod subscribe;
mod unsubscribe;

use super::flags::{FAST, PUBSUB_CONTEXT};
use super::CommandSpec;
use crate::engine::client::{Client, Clients, Subscriptions};
use crate::engine::resp::Frame;
use crate::engine::vec_map::VecSet;

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("psubscribe", -2, PUBSUB_CONTEXT, subscribe::psubscribe),
    CommandSpec::new("publish", 3, FAST, publish::publish),
    CommandSpec {
        name: "pubsub",
        arity: -2,
        flags: 0,
        execute: pubsub_help::execute,
        subcommands: &[
            CommandSpec::new("pubsub|channels", -2, 0, pubsub_channels::channels),
            CommandSpec::new("pubsub|help", 2, 0, pubsub_help::execute),
            CommandSpec::new("pubsub|numpat", 2, 0, pubsub_numpat::execute),
            CommandSpec::new("pubsub|numsub", -2, 0, pubsub_numsub::numsub),
            CommandSpec::new(
                "pubsub|shardchannels",
                -2,
                0,
                pubsub_channels::shardchannels,
            ),
            CommandSpec::new("pubsub|shardnumsub", -2, 0, pubsub_numsub::shardnumsub),
        ],
    },
    CommandSpec::new(
        "punsubscribe",
        -1,
        PUBSUB_CONTEXT,
        unsubscribe::punsubscribe,
    ),
    CommandSpec::new("spublish", 3, FAST, publish::spublish),
    CommandSpec::new("ssubscribe", -2, PUBSUB_CONTEXT, subscribe::ssubscribe),
    CommandSpec::new("subscribe", -2, PUBSUB_CONTEXT, subscribe::subscribe),
    CommandSpec::new(
        "sunsubscribe",
        -1,
        PUBSUB_CONTEXT,
        unsubscribe::sunsubscribe,
    ),
    CommandSpec::new("unsubscribe", -1, PUBSUB_CONTEXT, unsubscribe::unsubscribe),
];

/// The three kinds of subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// SUBSCRIBE / UNSUBSCRIBE / PUBLISH: exact channel names.
    Channel,
    /// PSUBSCRIBE / PUNSUBSCRIBE: glob patterns over channel names.
    Pattern,
    /// SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH: shard channels.
    Shard,
}

impl Kind {
    /// The first element of a subscription confirmation.
    fn subscribe_word(self) -> &'static str {
        match self {
            Kind::Channel => "subscribe",
            Kind::Pattern => "psubscribe",
            Kind::Shard => "ssubscribe",
        }
    }

    /// The first element of an unsubscription confirmation.
    fn unsubscribe_word(self) -> &'static str {
        match self {
            Kind::Channel => "unsubscribe",
            Kind::Pattern => "punsubscribe",
            Kind::Shard => "sunsubscribe",
        }
    }

    /// Adds a subscription; false if it already existed.
    fn add(self, subscriptions: &mut Subscriptions, name: &[u8]) -> bool {
        match self {
            Kind::Channel => subscriptions.channels.insert(name),
            Kind::Shard => subscriptions.shard_channels.insert(name),
            Kind::Pattern => {
                let new = !subscriptions.patterns.iter().any(|p| p == name);
                if new {
                    subscriptions.patterns.push(name.to_vec());
                }
                new
            }
        }
    }

    /// Removes a subscription; false if there was none.
    fn remove(self, subscriptions: &mut Subscriptions, name: &[u8]) -> bool {
        match self {
            Kind::Channel => subscriptions.channels.remove(name),
            Kind::Shard => subscriptions.shard_channels.remove(name),
            Kind::Pattern => {
                let before = subscriptions.patterns.len();
                subscriptions.patterns.retain(|p| p != name);
                subscriptions.patterns.len() != before
            }
        }
    }

    /// This kind's subscriptions, in the order UNSUBSCRIBE-without-arguments answers them.
    fn names(self, subscriptions: &Subscriptions) -> Vec<Vec<u8>> {
        match self {
            Kind::Channel => subscriptions.channels.iter().map(<[u8]>::to_vec).collect(),
            Kind::Pattern => subscriptions.patterns.clone(),
            Kind::Shard => subscriptions
                .shard_channels
                .iter()
                .map(<[u8]>::to_vec)
                .collect(),
        }
    }

    /// The count confirmations carry: channels plus patterns, or shard channels alone.
    fn count(self, subscriptions: &Subscriptions) -> usize {
        match self {
            Kind::Channel | Kind::Pattern => subscriptions.count(),
            Kind::Shard => subscriptions.shard_channels.len(),
        }
    }
}

/// A `[word, name, count]` confirmation; `name` None is the nil of an UNSUBSCRIBE that had
/// nothing to unsubscribe from.
fn confirmation(word: &str, name: Option<&[u8]>, count: usize) -> Frame {
    Frame::Array(vec![
        Frame::bulk(word),
        name.map_or(Frame::Null, Frame::bulk),
        Frame::Integer(i64::try_from(count).unwrap_or(i64::MAX)),
    ])
}

/// Clients that still count as subscribers: a connection closing after its reply (QUIT,
/// CLIENT KILL) is gone as far as other clients can tell.
fn live_clients(clients: &Clients) -> impl Iterator<Item = &Client> {
    clients
        .values()
        .map(|client| &**client)
        .filter(|client| !client.close_after_reply)
}

/// How many live clients subscribe to each channel of `kind` (Channel or Shard), sorted by name.
fn subscriber_counts(clients: &Clients, kind: Kind) -> Vec<(&[u8], usize)> {
    let mut names: Vec<&[u8]> = Vec::new();
    for client in live_clients(clients) {
        names.extend(match kind {
            Kind::Shard => client.subscriptions.shard_channels.iter(),
            Kind::Channel | Kind::Pattern => client.subscriptions.channels.iter(),
        });
    }
    // Sorted, each name's subscribers are one run: O(n log n) over all subscriptions.
    crate::engine::sort::sort(&mut names);
    names
        .chunk_by(|a, b| a == b)
        .filter_map(|run| Some((*run.first()?, run.len())))
        .collect()
}

/// Distinct patterns with at least one live subscriber (`PUBSUB NUMPAT`, INFO's
/// `pubsub_patterns`).
fn distinct_patterns(clients: &Clients) -> VecSet<&[u8]> {
    let mut patterns: Vec<&[u8]> = Vec::new();
    for client in live_clients(clients) {
        patterns.extend(client.subscriptions.patterns.iter().map(Vec::as_slice));
    }
    patterns.into_iter().collect()
}

#[cfg(test)]
mod tests;
