//! The node's replication duties between inputs: feeding the stream, the 1 Hz cron, WAIT,
//! FAILOVER's pause (Redis's `beforeSleep` and `replicationCron`).

use super::{Node, Output};
use crate::engine::client::ClientKind;
use crate::engine::log::LogLevel;
use crate::engine::propagate::PropagatedCommand;
use crate::engine::replication::{self, FailoverState, LinkState, ReplicaSyncState};
use crate::engine::resp::Frame;
use crate::engine::time::Instant;
use crate::engine::ConnId;

impl Node {
    /// Hands out the finished execution units: a master encodes them into its replication
    /// stream (with SELECTs), and an observing driver gets them as `Output::Propagated`. The
    /// client whose command produced them (`author`) remembers the offset for WAIT.
    pub(super) fn feed_propagated(&mut self, now: Instant, author: Option<ConnId>) {
        if self.state.propagated.is_empty() {
            return;
        }
        let units = std::mem::take(&mut self.state.propagated);
        let feeds_stream = !self.state.repl.is_replica() && self.state.repl.backlog.is_some();
        let mut bytes = std::mem::take(&mut self.stream_scratch);
        for commands in units {
            if feeds_stream {
                bytes.clear();
                for command in &commands {
                    self.state.repl.stream.encode(command, &mut bytes);
                }
                self.replication(now).feed(&bytes);
            }
            if self.state.propagation_observed {
                self.outputs.push_back(Output::Propagated { commands });
            }
        }
        self.stream_scratch = bytes;
        if let Some(client) = author.and_then(|conn| self.clients.get_mut(&conn)) {
            client.write_offset = self.state.repl.master_repl_offset;
        }
    }

    /// Encodes `reply` for `conn`, unless `conn` is a replica: a replica's link carries no
    /// replies, so a replica that provokes one is disconnected (Redis 7.0's
    /// `_addReplyToBufferOrList`).
    pub(super) fn reply_to(
        &mut self,
        now: Instant,
        conn: ConnId,
        reply: &Frame,
        out: &mut Vec<u8>,
    ) {
        let Some(client) = self.clients.get(&conn) else {
            return;
        };
        if client.kind != ClientKind::Replica {
            reply.encode(out);
            return;
        }
        let command = client.last_command;
        let id = client.id;
        self.state.log(
            LogLevel::Warning,
            format!("Replica generated a reply to command '{command}', disconnecting it: id={id}"),
        );
        self.replication(now).close(conn);
    }

    /// What Redis does before the event loop sleeps: answer WAITs that are satisfied or timed
    /// out, ask replicas for ACKs if a WAIT blocked, move FAILOVER on, resume writes FAILOVER
    /// paused, connect to a new master, and hand everything to the driver.
    pub(super) fn after_events(&mut self, now: Instant) {
        self.answer_waits(now);
        if std::mem::take(&mut self.state.repl.getack_requested) {
            let getack = PropagatedCommand {
                db: None,
                argv: vec![b"REPLCONF".to_vec(), b"GETACK".to_vec(), b"*".to_vec()],
            };
            if !self.state.repl.is_replica() {
                let mut bytes = Vec::new();
                self.state.repl.stream.encode(&getack, &mut bytes);
                self.replication(now).feed(&bytes);
            }
        }
        self.replication(now).update_failover();
        if self.state.repl.failover == FailoverState::None {
            self.resume_postponed(now);
        }
        let must_connect = self.state.repl.connect_asap
            && self.state.repl.link_state() == Some(LinkState::Connect);
        if must_connect {
            self.connect_to_master(now);
        }
        self.flush_side_effects();
    }

    /// Replies to WAITs that have enough ACKs or ran out of time, then serves what those
    /// clients sent meanwhile.
    fn answer_waits(&mut self, now: Instant) {
        if self.state.repl.waiting_acks.is_empty() {
            return;
        }
        for conn in self.state.repl.waiting_acks.clone() {
            let Some(wait) = self
                .clients
                .get(&conn)
                .and_then(|client| client.blocked_wait)
            else {
                continue;
            };
            let acknowledged =
                replication::acknowledged_replicas(&self.state, &self.clients, wait.offset);
            let timed_out = wait.deadline.is_some_and(|deadline| now >= deadline);
            if acknowledged as u64 >= wait.replicas || timed_out {
                if let Some(client) = self.clients.get_mut(&conn) {
                    client.blocked_wait = None;
                }
                self.transmit(conn, Frame::Integer(acknowledged).to_bytes());
                self.on_received(now, conn, &[]);
            }
        }
        let clients = &self.clients;
        self.state.repl.waiting_acks.retain(|conn| {
            clients
                .get(conn)
                .is_some_and(|client| client.blocked_wait.is_some())
        });
    }

    /// Runs the writes FAILOVER held back, in arrival order, then the input behind them.
    fn resume_postponed(&mut self, now: Instant) {
        for conn in std::mem::take(&mut self.state.repl.postponed) {
            let Some(args) = self
                .clients
                .get_mut(&conn)
                .and_then(|client| client.postponed_request.take())
            else {
                continue;
            };
            let mut ctx =
                crate::engine::command::Ctx::new(now, &mut self.state, &mut self.clients, conn);
            let reply = crate::engine::command::process(&mut ctx, &args);
            let suppressed = ctx.reply_suppressed;
            self.feed_propagated(now, Some(conn));
            let mut bytes = Vec::new();
            if !suppressed {
                self.reply_to(now, conn, &reply, &mut bytes);
            }
            self.transmit(conn, bytes);
            self.on_received(now, conn, &[]);
        }
    }

    /// Redis's `replicationCron`, once a second.
    pub(super) fn replication_cron(&mut self, now: Instant) {
        self.replication(now).update_failover();
        self.replica_cron(now);
        self.master_cron(now);
        self.replication(now).refresh_good_replicas();
        self.state.repl.cron_loops += 1;
        self.flush_side_effects();
    }

    /// The master part of the cron: PINGs, keep-alive newlines, timed-out replicas, the backlog's
    /// time to live, and delayed diskless syncs.
    fn master_cron(&mut self, now: Instant) {
        let period = u64::from(self.state.config.repl_ping_replica_period_secs.max(1) as u32);
        let failover_timed = matches!(&self.state.repl.failover, FailoverState::WaitingForSync(f) if f.deadline.is_some());
        if self.state.repl.cron_loops.is_multiple_of(period)
            && !self.state.repl.replicas.is_empty()
            && !self.state.repl.is_replica()
            && !failover_timed
        {
            let ping = PropagatedCommand {
                db: None,
                argv: vec![b"ping".to_vec()],
            };
            let mut bytes = Vec::new();
            self.state.repl.stream.encode(&ping, &mut bytes);
            self.replication(now).feed(&bytes);
        }
        let timeout_secs = i64::from(self.state.config.repl_timeout_secs).max(1) as u64;
        for conn in self.state.repl.replicas.clone() {
            let Some(link) = self
                .clients
                .get(&conn)
                .and_then(|client| client.replica_link.as_ref())
            else {
                continue;
            };
            match link.state {
                Some(ReplicaSyncState::WaitBgsaveStart) => self.transmit(conn, b"\n".to_vec()),
                Some(ReplicaSyncState::Online)
                    if !link.pre_psync
                        && now.as_secs().saturating_sub(link.ack_at.as_secs()) > timeout_secs =>
                {
                    let addr = self.replication(now).replica_addr(conn);
                    self.state.log(
                        LogLevel::Warning,
                        format!("Disconnecting timedout replica (streaming sync): {addr}"),
                    );
                    self.replication(now).close(conn);
                }
                _ => {}
            }
        }
        self.expire_backlog(now);
        self.replication(now).start_delayed_full_syncs();
    }

    /// Frees a master's backlog after `repl-backlog-ttl` seconds without replicas; the history
    /// ends there, so the id changes.
    fn expire_backlog(&mut self, now: Instant) {
        let ttl_secs = self.state.config.repl_backlog_ttl_secs;
        let repl = &mut self.state.repl;
        if ttl_secs <= 0 || !repl.replicas.is_empty() || repl.backlog.is_none() || repl.is_replica()
        {
            return;
        }
        let idle_secs = now
            .as_secs()
            .saturating_sub(repl.no_replicas_since.as_secs());
        if idle_secs > ttl_secs as u64 {
            repl.change_replid();
            repl.clear_replid2();
            repl.backlog = None;
            self.state.log(
                LogLevel::Notice,
                format!("Replication backlog freed after {ttl_secs} seconds without connected replicas."),
            );
        }
    }
}
