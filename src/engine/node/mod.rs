//! [`Node`]: one Redis server as a sans-IO state machine.

use super::client::{Client, Clients, Peer};
use super::command::{self, Ctx};
use super::config::Config;
use super::deque::Deque;
use super::log::{LogLevel, LogLine};
use super::propagate::{ExecutionUnit, PropagatedCommand};
use super::rdb::{self, RdbError};
use super::replication::{CachedMaster, MasterLink, ReplicaLink};
use super::resp::{Frame, RequestLimits};
use super::state::NodeState;
use super::time::Instant;

mod replica_side;
mod replication;

/// Keys active expiry may delete per database per cron run, so one run stays short.
const ACTIVE_EXPIRE_KEYS_PER_DB_MAX: usize = 200;

/// A connection as the driver numbers it (the driver owns ids, as a kernel owns file descriptors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct ConnId(pub u32);

impl ConnId {
    /// Ids from here up are the node's own outbound connections; a driver numbers the
    /// connections it accepts below it.
    pub const OUTBOUND_FIRST: u32 = 1 << 31;

    /// Whether the node opened this connection itself ([`Output::Connect`]).
    pub fn is_outbound(self) -> bool {
        self.0 >= Self::OUTBOUND_FIRST
    }
}

/// Something that happened to the node, handed in by the driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A client connected.
    Connected { conn: ConnId, peer: Peer },
    /// Bytes arrived on a connection, in whatever chunks the network produced.
    Received { conn: ConnId, bytes: Vec<u8> },
    /// The peer closed the connection, or it broke.
    Closed { conn: ConnId },
    /// A connection the node asked for ([`Output::Connect`]) could not be made (refused, timed
    /// out, unknown host); `reason` is the OS's words, for the node's log.
    ConnectFailed { conn: ConnId, reason: String },
}

/// Something the driver must do for the node, or may show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Send these bytes on the connection.
    Transmit { conn: ConnId, bytes: Vec<u8> },
    /// Close the connection once the bytes queued before this are sent (for a connection still
    /// being made, give up on it).
    Close { conn: ConnId },
    /// Open a TCP connection to `host`:`port` (a replica reaching its master). The node names it
    /// `conn`, from its own range ([`ConnId::is_outbound`]); the driver answers with
    /// `Input::Connected` (its `peer.addr` the remote address) or `Input::ConnectFailed`.
    Connect {
        conn: ConnId,
        host: String,
        port: u16,
    },
    /// One execution unit left the propagation point: what replicas will receive, in order.
    Propagated { commands: Vec<PropagatedCommand> },
    /// SHUTDOWN succeeded: stop the node once the bytes queued before this are sent.
    Shutdown,
    /// Store this RDB as the node's `dir`/`dbfilename` (atomically: a half-written snapshot
    /// must never replace a good one); the next start loads it.
    WriteSnapshot { rdb: Vec<u8> },
    /// A line for the node's log.
    Log(LogLine),
}

/// One Redis server.
///
/// Run-loop contract (str0m's): after every `handle_*` call, drain
/// [`poll_output`](Node::poll_output) until it returns `None`, and call
/// [`handle_timeout`](Node::handle_timeout) when [`poll_timeout`](Node::poll_timeout)'s time comes.
#[derive(Clone, Debug)]
pub struct Node {
    state: NodeState,
    clients: Clients,
    outputs: Deque<Output>,
    /// When the cron (Redis's `serverCron`) runs next.
    next_cron_at: Instant,
    /// When the 1 Hz replication cron (`replicationCron`) runs next.
    next_replication_cron_at: Instant,
    /// Replies produced while a DEBUG SLEEP started: sent when the node wakes.
    held_replies: Vec<(ConnId, Vec<u8>)>,
    /// Bytes from our master that arrived while the node slept, on that connection: nothing
    /// reads the socket until it wakes.
    held_master_input: Option<(ConnId, Vec<u8>)>,
    /// Reused to encode each execution unit into the replication stream (a master encodes one
    /// per write).
    stream_scratch: Vec<u8>,
}

impl Node {
    /// A node with an empty dataset; `entropy` seeds every random choice it will make.
    pub fn new(config: Config, now: Instant, entropy: u64) -> Node {
        let cron_period_ms = cron_period_ms(&config);
        let mut state = NodeState::new(config, now, entropy);
        if let Some((host, port)) = state.config.replicaof.clone() {
            // `replicaof` in the config: a replica from the start, connecting at the first
            // replication cron (which runs at once), as redis-server does.
            state.repl.master = Some(MasterLink::new(host, port, now));
        }
        Node {
            state,
            clients: Clients::new(),
            outputs: Deque::new(),
            next_cron_at: now.add_millis(cron_period_ms),
            // Redis's first serverCron runs 1 ms after start, and replicationCron with it (cron
            // loop 0: the PING tick, while no replica can have attached yet).
            next_replication_cron_at: now.add_millis(1),
            held_replies: Vec::new(),
            held_master_input: None,
            stream_scratch: Vec::new(),
        }
    }

    /// Feeds one input to the node.
    pub fn handle_input(&mut self, now: Instant, input: Input) {
        match input {
            Input::Connected { conn, peer } if conn.is_outbound() => {
                if self.is_master_link(conn) {
                    self.on_master_link_connected(now, peer);
                } else {
                    // A connection we no longer want (the master changed meanwhile).
                    self.outputs.push_back(Output::Close { conn });
                }
            }
            Input::Connected { conn, peer } => self.on_connected(now, conn, peer),
            Input::Received { conn, bytes } => self.on_received(now, conn, &bytes),
            Input::Closed { conn } => self.on_closed(now, conn, None),
            Input::ConnectFailed { conn, reason } => self.on_closed(now, conn, Some(&reason)),
        }
        self.after_events(now);
    }

    /// Feeds received bytes without wrapping them in an [`Input`] (the same as
    /// `Input::Received`, minus a copy: drivers reading into a reused buffer call this).
    pub fn handle_received(&mut self, now: Instant, conn: ConnId, bytes: &[u8]) {
        self.on_received(now, conn, bytes);
        self.after_events(now);
    }

    /// Loads an RDB snapshot (the node's `dbfilename` at start, or its simulated disk) in place
    /// of the dataset, as redis-server does before it accepts connections. A master drops keys
    /// that had already expired (Redis's `rdb_last_load_keys_expired`). Returns the number of keys
    /// loaded; a malformed file is an error and leaves the dataset untouched.
    pub fn load_snapshot(&mut self, now: Instant, rdb: &[u8]) -> Result<usize, RdbError> {
        let loaded = rdb::decode(rdb, &self.state.config)?;
        self.state.keyspace = loaded.keyspace;
        let history = loaded.aux.repl_id().zip(loaded.aux.repl_offset());
        let history = history.filter(|(id, offset)| id.len() == 40 && *offset >= 0);
        match (history, self.state.repl.is_replica()) {
            (Some((replid, offset)), true) => {
                // A replica resumes from its snapshot's history: a cached master to PSYNC with.
                let repl = &mut self.state.repl;
                repl.replid = String::from_utf8_lossy(replid).into_owned();
                repl.master_repl_offset = offset as u64;
                let db = loaded.aux.repl_stream_db().unwrap_or(0).max(0) as usize;
                repl.cached_master = Some(CachedMaster {
                    replid: repl.replid.clone(),
                    reploff: offset as u64,
                    db,
                });
            }
            (Some((replid, offset)), false) => {
                // A master keeps its old history valid as replid2 and continues the offsets; its
                // backlog receives the DELs of keys that expired while it was down.
                let repl = &mut self.state.repl;
                repl.replid2 = String::from_utf8_lossy(replid).into_owned();
                repl.second_replid_offset = offset + 1;
                repl.master_repl_offset = offset as u64;
                repl.create_backlog(self.state.config.repl_backlog_size_bytes);
                repl.no_replicas_since = now;
            }
            (None, _) => {}
        }
        let expired = if self.state.repl.is_replica() {
            0
        } else {
            self.delete_expired_after_load(now)
        };
        let keys = self.state.keyspace.key_count();
        self.state.persistence.last_load_keys_loaded = keys as u64;
        self.state.persistence.last_load_keys_expired = expired;
        self.state.log(
            LogLevel::Notice,
            format!("Loaded the dataset from disk: {keys} keys"),
        );
        self.flush_snapshots();
        Ok(keys)
    }

    /// A master drops the keys that expired while it was down, each deletion propagated
    /// (Redis's `rdbLoad` on a master; a replica keeps them for its master's DELs). Returns how
    /// many it dropped.
    fn delete_expired_after_load(&mut self, now: Instant) -> u64 {
        let now_ms = now.as_millis();
        let mut dropped = 0;
        for index in 0..self.state.keyspace.len() {
            let expired = self
                .state
                .keyspace
                .db(index)
                .expired_keys(now_ms, usize::MAX);
            for key in expired {
                self.state.keyspace.db_mut(index).remove(&key);
                self.propagate_expiry(index, key);
                dropped += 1;
            }
        }
        self.feed_propagated(now, None);
        dropped
    }

    /// When the node next needs [`handle_timeout`](Node::handle_timeout).
    pub fn poll_timeout(&self) -> Option<Instant> {
        // Asleep (DEBUG SLEEP), the node does nothing before it wakes, not even its cron.
        if let Some(until) = self.state.busy_until {
            return Some(until);
        }
        let mut soonest = self.next_cron_at.min(self.next_replication_cron_at);
        if let Some(loading) = self.state.loading {
            soonest = soonest.min(loading.until);
        }
        for conn in &self.state.repl.waiting_acks {
            let wait = self
                .clients
                .get(conn)
                .and_then(|client| client.blocked_wait.as_ref());
            if let Some(deadline) = wait.and_then(|wait| wait.deadline) {
                soonest = soonest.min(deadline);
            }
        }
        Some(soonest)
    }

    /// Runs whatever timers are due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state.busy_until.is_some_and(|until| now >= until) {
            self.on_busy_timeout(now);
        }
        if self
            .state
            .loading
            .is_some_and(|loading| now >= loading.until)
        {
            self.finish_loading(now);
        }
        if now >= self.next_cron_at && !self.is_busy(now) {
            self.on_cron_timeout(now);
            self.next_cron_at = now.add_millis(cron_period_ms(&self.state.config));
        }
        if now >= self.next_replication_cron_at && !self.is_busy(now) {
            self.replication_cron(now);
            self.next_replication_cron_at = now.add_millis(REPLICATION_CRON_PERIOD_MS);
        }
        if !self.is_busy(now) {
            self.after_events(now);
        }
    }

    /// The next action for the driver, `None` when there is nothing left to do. Asleep (DEBUG
    /// SLEEP), the process writes nothing, closes nothing and connects nowhere until it wakes,
    /// even what the commands run before it fell asleep produced.
    pub fn poll_output(&mut self) -> Option<Output> {
        if self.state.busy_until.is_some() {
            return None;
        }
        self.outputs.pop_front()
    }

    /// Makes snapshot loads take time at `bytes_per_sec` (None: instantly), so that a replica
    /// shows Redis's `-LOADING` window after a full sync. The simulator sets it; a real server
    /// loads as fast as it loads.
    pub fn set_load_rate(&mut self, bytes_per_sec: Option<u64>) {
        self.state.load_bytes_per_sec = bytes_per_sec.filter(|&rate| rate > 0);
    }

    /// Says whether the driver consumes `Output::Propagated` (on by default). A driver with no
    /// use for it (playground-server, benchmarks) turns it off, and writes stop copying their
    /// arguments for a stream nobody reads.
    pub fn set_propagation_observed(&mut self, observed: bool) {
        self.state.propagation_observed = observed;
    }

    /// The node's state, read-only (for the UI, checkers and tests).
    pub fn state(&self) -> &NodeState {
        &self.state
    }

    /// The master this node replicates (`REPLICAOF host port`), None for a master. A driver that
    /// restarts the node keeps it in the node's config, as `CONFIG REWRITE` would have.
    pub fn replication_master(&self) -> Option<(String, u16)> {
        let link = self.state.repl.master.as_ref()?;
        Some((link.host.clone(), link.port))
    }

    /// The connections that are (or are becoming) replicas, in the order they attached (INFO's
    /// `slave0`, `slave1`, ...), with their addresses and what we know of them.
    pub fn replica_links(&self) -> impl Iterator<Item = (ConnId, &Peer, &ReplicaLink)> {
        self.state.repl.replicas.iter().filter_map(|conn| {
            let client = self.clients.get(conn)?;
            Some((*conn, &client.peer, client.replica_link.as_ref()?))
        })
    }

    /// `INFO replication` as the node would answer it at `now` (without running a command:
    /// no statistics move).
    pub fn info_replication(&self, now: Instant) -> String {
        crate::engine::command::info_replication(&self.state, &self.clients, now)
    }

    /// `ROLE`'s reply, without running the command.
    pub fn role(&self) -> Frame {
        crate::engine::command::role_reply(&self.state, &self.clients)
    }

    /// The dataset's digest, as DEBUG DIGEST answers it (40 hex digits, all zeros when empty):
    /// equal datasets have equal digests, whatever order their keys were written in.
    pub fn dataset_digest(&self) -> String {
        command::digest_hex(&command::dataset_digest(&self.state.keyspace))
    }

    /// Number of connected clients.
    pub fn connected_clients(&self) -> usize {
        self.clients.len()
    }

    fn on_connected(&mut self, now: Instant, conn: ConnId, peer: Peer) {
        let id = self.state.next_client_id;
        self.state.next_client_id += 1;
        self.state.stats.connections_received += 1;
        let authenticated = self.state.config.requirepass.is_none();
        self.clients.insert(
            conn,
            Box::new(Client::new(id, conn, peer, now, authenticated)),
        );
    }

    fn on_closed(&mut self, now: Instant, conn: ConnId, reason: Option<&str>) {
        if self.is_master_link(conn) {
            self.on_master_link_closed(now, reason);
        }
        let is_replica = self
            .clients
            .get(&conn)
            .is_some_and(|client| client.kind == super::client::ClientKind::Replica);
        if is_replica {
            self.replication(now).replica_gone(conn);
        }
        if self.clients.remove(&conn).is_some() {
            self.state.unwatch_all(conn);
        }
        self.flush_side_effects();
    }

    fn on_received(&mut self, now: Instant, conn: ConnId, bytes: &[u8]) {
        if self.is_master_link(conn) {
            if self.is_busy(now) {
                // Asleep: the stream waits, unread, and its offsets with it.
                match &mut self.held_master_input {
                    Some((held_conn, held)) if *held_conn == conn => held.extend_from_slice(bytes),
                    _ => self.held_master_input = Some((conn, bytes.to_vec())),
                }
                return;
            }
            self.on_master_link_bytes(now, bytes);
            self.flush_side_effects();
            return;
        }
        let Some(client) = self.clients.get_mut(&conn) else {
            return;
        };
        if client.close_after_reply {
            return;
        }
        if !bytes.is_empty() {
            self.state.stats.net_input_bytes += bytes.len() as u64;
            self.state.stats.reads_processed += 1;
        }
        client.decoder.push(bytes);
        if self.is_busy(now) {
            // DEBUG SLEEP: the bytes wait in the buffer, as they would in the socket.
            return;
        }
        let mut replies = Vec::new();
        loop {
            if self.is_busy(now) {
                // A command made the node busy (DEBUG SLEEP): its reply and the rest of the
                // input wait until the node wakes.
                self.held_replies.push((conn, replies));
                self.flush_side_effects();
                return;
            }
            let Some(client) = self.clients.get_mut(&conn) else {
                break;
            };
            if client.close_after_reply
                || client.blocked_wait.is_some()
                || client.postponed_request.is_some()
            {
                // Closing, or blocked (WAIT, a write paused by FAILOVER): the input waits.
                break;
            }
            let limits = RequestLimits {
                bulk_bytes_max: self.state.config.proto_max_bulk_len,
                auth_required: !client.authenticated,
                from_master: false,
            };
            match client.next_request(limits) {
                Ok(Some(request)) if request.args.is_empty() => continue,
                Ok(Some(request)) => {
                    client.last_interaction_at = now;
                    let mut ctx = Ctx::new(now, &mut self.state, &mut self.clients, conn);
                    ctx.caller_has_pending_output = !replies.is_empty();
                    let reply = command::process(&mut ctx, &request.args);
                    let reply_suppressed = ctx.reply_suppressed;
                    self.feed_propagated(now, Some(conn));
                    if let Some(client) = self.clients.get_mut(&conn) {
                        for earlier in std::mem::take(&mut client.preceding_replies) {
                            earlier.encode(&mut replies);
                        }
                    }
                    if self.state.shutdown_requested {
                        // A successful SHUTDOWN has no reply: the server goes away.
                        self.transmit(conn, replies);
                        self.flush_side_effects();
                        self.outputs.push_back(Output::Shutdown);
                        return;
                    }
                    if !reply_suppressed {
                        self.reply_to(now, conn, &reply, &mut replies);
                    }
                }
                Ok(None) => {
                    if client.decoder.buffered_bytes()
                        > self.state.config.client_query_buffer_limit_bytes
                    {
                        // Redis closes such a client without a reply ("max query buffer length").
                        client.close_after_reply = true;
                        let id = client.id;
                        self.state.log(
                            LogLevel::Warning,
                            format!("Closing client id={id}: its unparsed input passed client-query-buffer-limit"),
                        );
                    }
                    break;
                }
                Err(error) => {
                    if let Some(text) = error.reply() {
                        let id = client.id;
                        self.state.log(
                            LogLevel::Verbose,
                            format!(
                                "Protocol error from client id={id}: {}",
                                String::from_utf8_lossy(&text)
                            ),
                        );
                        self.state.stats.record_error(&text);
                        Frame::Error(text).encode(&mut replies);
                    }
                    client.close_after_reply = true;
                }
            }
        }
        // A SAVE's file is written before its reply goes out, as in Redis: a client that has
        // read +OK can rely on the file.
        self.flush_snapshots();
        self.transmit_replies(conn, replies);
        self.flush_side_effects();
    }

    /// Sends a client its replies, then closes it if it asked to be (QUIT, a protocol error).
    fn transmit_replies(&mut self, conn: ConnId, replies: Vec<u8>) {
        self.transmit(conn, replies);
        if self
            .clients
            .get(&conn)
            .is_some_and(|client| client.close_after_reply)
        {
            self.outputs.push_back(Output::Close { conn });
        }
    }

    /// Whether a DEBUG SLEEP still holds the node at `now`.
    fn is_busy(&self, now: Instant) -> bool {
        self.state.busy_until.is_some_and(|until| now < until)
    }

    /// The end of a DEBUG SLEEP: the held replies go out, then every client's buffered input is
    /// processed, in connection order (Redis would serve them as the event loop reports them).
    fn on_busy_timeout(&mut self, now: Instant) {
        self.state.busy_until = None;
        if let Some((conn, bytes)) = self.held_master_input.take() {
            // Read now, unless that link went away meanwhile (a PSYNC asks for them again).
            if self.is_master_link(conn) {
                self.on_master_link_bytes(now, &bytes);
                self.flush_side_effects();
            }
        }
        for (conn, replies) in std::mem::take(&mut self.held_replies) {
            if !self.clients.contains_key(&conn) {
                continue;
            }
            self.transmit_replies(conn, replies);
        }
        let conns: Vec<ConnId> = self.clients.keys().copied().collect();
        for conn in conns {
            if self.is_busy(now) {
                break;
            }
            self.on_received(now, conn, &[]);
        }
    }

    /// Hands out the snapshots commands took, oldest first.
    fn flush_snapshots(&mut self) {
        for line in std::mem::take(&mut self.state.pending_logs) {
            self.outputs.push_back(Output::Log(line));
        }
        for rdb in std::mem::take(&mut self.state.pending_snapshots) {
            self.outputs.push_back(Output::WriteSnapshot { rdb });
        }
    }

    /// Queues bytes for a connection, counting them.
    fn transmit(&mut self, conn: ConnId, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.state.stats.net_output_bytes += bytes.len() as u64;
            self.state.stats.writes_processed += 1;
            self.outputs.push_back(Output::Transmit { conn, bytes });
        }
    }

    /// Hands out what commands produced besides the caller's reply: replies for other clients,
    /// kills, and propagated units.
    fn flush_side_effects(&mut self) {
        for (conn, frame) in std::mem::take(&mut self.state.pending_pushes) {
            if self.clients.contains_key(&conn) {
                self.transmit(conn, frame.to_bytes());
            }
        }
        for (conn, bytes) in std::mem::take(&mut self.state.pending_writes) {
            if self.clients.contains_key(&conn) || self.is_master_link(conn) {
                self.transmit(conn, bytes);
            }
        }
        for conn in std::mem::take(&mut self.state.pending_kills) {
            if let Some(client) = self.clients.get_mut(&conn) {
                client.close_after_reply = true;
                self.outputs.push_back(Output::Close { conn });
            } else if conn.is_outbound() {
                // A connection to a master we left, still in its handshake (no client yet).
                self.outputs.push_back(Output::Close { conn });
            }
        }
        self.flush_snapshots();
        self.feed_propagated(Instant::default(), None);
    }

    /// Redis's `serverCron`, as far as a single node needs it: active expiry.
    fn on_cron_timeout(&mut self, now: Instant) {
        // Only a master expires keys actively (a replica waits for its master's DELs), and not
        // while FAILOVER pauses writes.
        let expires_actively = !self.state.repl.is_replica()
            && self.state.repl.failover == super::replication::FailoverState::None;
        self.replication(now).update_failover();
        if self.state.active_expire_enabled && expires_actively {
            self.active_expire_cycle(now);
        }
        self.flush_side_effects();
    }

    /// Propagates the deletion of an expired key as its own execution unit: `DEL key`
    /// (`UNLINK key` with `lazyfree-lazy-expire`).
    fn propagate_expiry(&mut self, db: usize, key: Vec<u8>) {
        if !self.state.propagation_needed() {
            return;
        }
        let command = self.state.config.expiry_deletion_command().to_vec();
        let mut unit = ExecutionUnit::default();
        unit.push(PropagatedCommand::in_db(db, vec![command, key]));
        self.state.propagated.extend(unit.finish());
    }

    /// Deletes keys whose TTL passed, soonest first, each deletion its own execution unit.
    /// (Redis samples keys at random; we take them in expiry order, which is deterministic.)
    fn active_expire_cycle(&mut self, now: Instant) {
        for index in 0..self.state.keyspace.len() {
            let expired = self
                .state
                .keyspace
                .db(index)
                .expired_keys(now.as_millis(), ACTIVE_EXPIRE_KEYS_PER_DB_MAX);
            for key in expired {
                self.state.keyspace.db_mut(index).remove(&key);
                self.state.stats.expired_keys += 1;
                self.state.signal_modified_key(index, &key);
                self.propagate_expiry(index, key);
            }
        }
    }
}

/// The replication cron's period: Redis runs `replicationCron` once a second.
const REPLICATION_CRON_PERIOD_MS: u64 = 1000;

fn cron_period_ms(config: &Config) -> u64 {
    1000 / u64::from(config.hz.clamp(1, 500))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn drain(node: &mut Node) -> Vec<Output> {
        std::iter::from_fn(|| node.poll_output()).collect()
    }

    /// Feeds `bytes` from `conn` to the node, a millisecond after it connected.
    fn receive(node: &mut Node, conn: ConnId, bytes: &[u8]) {
        let bytes = bytes.to_vec();
        node.handle_input(Instant::from_millis(1_001), Input::Received { conn, bytes });
    }

    /// Every byte the node transmitted so far, in order; any other output fails the test.
    fn transmitted(node: &mut Node) -> Vec<u8> {
        drain(node)
            .into_iter()
            .flat_map(|output| match output {
                Output::Transmit { bytes, .. } => bytes,
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    fn connected_node(conn: ConnId) -> Node {
        let mut node = Node::new(Config::default(), Instant::from_millis(1_000), 1);
        node.handle_input(
            Instant::from_millis(1_000),
            Input::Connected {
                conn,
                peer: Peer::default(),
            },
        );
        node
    }

    #[test]
    fn a_master_loading_its_snapshot_counts_the_keys_it_kept_and_dropped() {
        let conn = ConnId(1);
        let mut node = connected_node(conn);
        receive(
            &mut node,
            conn,
            b"SET a 1\r\nSET b 1\r\nSET soon 1 PX 10\r\nSAVE\r\n",
        );
        let rdb = drain(&mut node)
            .into_iter()
            .find_map(|output| match output {
                Output::WriteSnapshot { rdb } => Some(rdb),
                _ => None,
            })
            .expect("SAVE writes a snapshot");
        let mut restarted = Node::new(Config::default(), Instant::from_millis(2_000), 2);
        assert_eq!(
            restarted.load_snapshot(Instant::from_millis(2_000), &rdb),
            Ok(2)
        );
        let persistence = &restarted.state().persistence;
        assert_eq!(
            (
                persistence.last_load_keys_loaded,
                persistence.last_load_keys_expired
            ),
            (2, 1)
        );
    }

    #[test]
    fn pipelined_requests_in_pieces_get_one_reply_each() {
        let conn = ConnId(1);
        let mut node = connected_node(conn);
        receive(&mut node, conn, b"PING\r\n*2\r\n$4\r\nEC");
        receive(&mut node, conn, b"HO\r\n$2\r\nhi\r\n");
        assert_eq!(transmitted(&mut node), b"+PONG\r\n$2\r\nhi\r\n");
    }

    #[test]
    fn a_protocol_error_replies_then_closes_and_ignores_the_rest() {
        let conn = ConnId(7);
        let mut node = connected_node(conn);
        receive(&mut node, conn, b"PING\r\n*1\r\n:1\r\n");
        receive(&mut node, conn, b"PING\r\n");
        let id = node.clients.get(&conn).map(|client| client.id).unwrap();
        assert_eq!(
            drain(&mut node),
            vec![
                Output::Log(LogLine {
                    level: LogLevel::Verbose,
                    message: format!(
                        "Protocol error from client id={id}: ERR Protocol error: expected '$', got ':'"
                    ),
                }),
                Output::Transmit {
                    conn,
                    bytes: b"+PONG\r\n-ERR Protocol error: expected '$', got ':'\r\n".to_vec()
                },
                Output::Close { conn },
            ]
        );
    }

    #[test]
    fn multi_queues_and_exec_runs_as_one_reply() {
        let conn = ConnId(1);
        let mut node = connected_node(conn);
        receive(&mut node, conn, b"MULTI\r\nPING\r\nECHO x\r\nEXEC\r\n");
        let sent = transmitted(&mut node);
        assert_eq!(
            sent,
            b"+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+PONG\r\n$1\r\nx\r\n"
        );
    }

    #[test]
    fn debug_sleep_holds_every_client_until_the_node_wakes() {
        let mut config = Config::default();
        config.enable_debug_command = crate::engine::config::ProtectedAction::Yes;
        let start = Instant::from_millis(1_000);
        let mut node = Node::new(config, start, 1);
        for conn in [ConnId(1), ConnId(2)] {
            node.handle_input(
                start,
                Input::Connected {
                    conn,
                    peer: Peer::default(),
                },
            );
        }
        node.handle_input(
            start,
            Input::Received {
                conn: ConnId(1),
                bytes: b"DEBUG SLEEP 0.5\r\nPING\r\n".to_vec(),
            },
        );
        let later = start.add_millis(100);
        node.handle_input(
            later,
            Input::Received {
                conn: ConnId(2),
                bytes: b"ECHO x\r\n".to_vec(),
            },
        );
        assert_eq!(drain(&mut node), vec![], "nothing is served while asleep");
        let wake = start.add_millis(500);
        assert_eq!(node.poll_timeout(), Some(wake));
        node.handle_timeout(wake);
        assert_eq!(
            drain(&mut node),
            vec![
                Output::Transmit {
                    conn: ConnId(1),
                    bytes: b"+OK\r\n".to_vec()
                },
                Output::Transmit {
                    conn: ConnId(1),
                    bytes: b"+PONG\r\n".to_vec()
                },
                Output::Transmit {
                    conn: ConnId(2),
                    bytes: b"$1\r\nx\r\n".to_vec()
                },
            ]
        );
        assert_eq!(
            node.poll_timeout(),
            Some(wake.add_millis(100)),
            "the overdue cron ran on waking"
        );
    }
}
