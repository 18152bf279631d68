//! [`ReplicationCtx`]: replication's operations on the node's state and connections, shared by
//! the commands (REPLICAOF, PSYNC, REPLCONF, WAIT, FAILOVER) and the node (cron, stream feed).
//!
//! Effects leave through the node's queues: bytes in `pending_writes`, closes in
//! `pending_kills`, log lines in `pending_logs`; the node hands them to the driver in order.

use super::{
    CachedMaster, FailoverState, FullResyncReason, LinkState, MasterLink, PsyncDecision,
    PsyncOutcome, ReplicaLink, ReplicaSyncState,
};
use crate::engine::client::{ClientKind, Clients};
use crate::engine::keyspace::Keyspace;
use crate::engine::log::LogLevel;
use crate::engine::rdb::{self, AuxFields, ReplicationAux, SaveOptions};
use crate::engine::resp::{encode_request, Frame};
use crate::engine::state::NodeState;
use crate::engine::time::Instant;
use crate::engine::ConnId;

/// The error blocked clients get when the node turns into a replica.
const UNBLOCKED_BY_ROLE_CHANGE: &str =
    "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";

/// The node's state and connections, for replication's operations.
pub struct ReplicationCtx<'a> {
    /// The time of the input being handled.
    pub now: Instant,
    /// The node's state.
    pub state: &'a mut NodeState,
    /// Every connection.
    pub clients: &'a mut Clients,
}

impl<'a> ReplicationCtx<'a> {
    /// Replication's view of the node at `now`.
    pub fn new(
        now: Instant,
        state: &'a mut NodeState,
        clients: &'a mut Clients,
    ) -> ReplicationCtx<'a> {
        ReplicationCtx {
            now,
            state,
            clients,
        }
    }

    fn log(&mut self, level: LogLevel, message: impl Into<String>) {
        self.state.log(level, message);
    }

    fn write(&mut self, conn: ConnId, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.state.pending_writes.push((conn, bytes));
        }
    }

    /// Closes `conn` once what is queued for it is sent; nothing more is sent to it.
    pub fn close(&mut self, conn: ConnId) {
        if let Some(client) = self.clients.get_mut(&conn) {
            if !client.close_after_reply {
                client.close_after_reply = true;
                self.state.pending_kills.push(conn);
            }
        }
    }

    fn link_mut(&mut self, conn: ConnId) -> Option<&mut ReplicaLink> {
        self.clients
            .get_mut(&conn)
            .and_then(|client| client.replica_link.as_mut())
    }

    /// A replica's address as INFO and the logs show it (`ip:port`).
    pub fn replica_addr(&self, conn: ConnId) -> String {
        let Some(client) = self.clients.get(&conn) else {
            return String::new();
        };
        let port = client
            .replica_link
            .as_ref()
            .map_or(0, |link| link.listening_port);
        format!("{}:{port}", super::replica_ip(client))
    }

    // ----- The stream -------------------------------------------------------------------------

    /// Feeds stream bytes produced here (we are a master) or applied from our master (we are a
    /// replica: the exact bytes, proxied): into the backlog and to every replica.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.state.repl.backlog.is_none() {
            // Without a backlog there is no replica and the offset does not move (7.0).
            return;
        }
        self.state.repl.append_to_backlog(bytes);
        // Delivering never changes the list of replicas (a replica over its limit is closed
        // later), so no copy of it is needed.
        let mut index = 0;
        while let Some(&conn) = self.state.repl.replicas.get(index) {
            self.deliver(conn, bytes);
            index += 1;
        }
    }

    /// Sends stream bytes to one replica, or holds them while it cannot take them yet.
    fn deliver(&mut self, conn: ConnId, bytes: &[u8]) {
        let Some(client) = self.clients.get_mut(&conn) else {
            return;
        };
        if client.close_after_reply {
            return;
        }
        let Some(link) = client.replica_link.as_mut() else {
            return;
        };
        match link.state {
            Some(ReplicaSyncState::Online) if !link.awaiting_first_ack => {
                self.state.stats.net_repl_output_bytes += bytes.len() as u64;
                self.write(conn, bytes.to_vec());
            }
            Some(ReplicaSyncState::WaitBgsaveEnd | ReplicaSyncState::Online) => {
                link.held.extend_from_slice(bytes);
                self.enforce_output_limit(conn);
            }
            // Its snapshot has not started: it will begin at the offset of that snapshot.
            Some(ReplicaSyncState::WaitBgsaveStart) | None => {}
        }
    }

    /// Closes a replica whose held output passed `client-output-buffer-limit replica` (the hard
    /// limit at once, the soft one after `soft_secs` continuously above it). The hard limit is
    /// never below the backlog size, so a PSYNC is not followed by a disconnect.
    fn enforce_output_limit(&mut self, conn: ConnId) {
        let limit = self.state.config.client_output_buffer_limits.replica;
        let backlog_bytes = self.state.config.repl_backlog_size_bytes.max(0) as u64;
        let now = self.now;
        let Some(link) = self.link_mut(conn) else {
            return;
        };
        let held = link.held.len() as u64;
        let hard = if limit.hard_bytes == 0 {
            0
        } else {
            limit.hard_bytes.max(backlog_bytes)
        };
        let mut over = hard != 0 && held >= hard;
        if limit.soft_bytes != 0 && held >= limit.soft_bytes {
            let since = *link.soft_limit_since.get_or_insert(now);
            over |= now.millis_since(since) > i64::from(limit.soft_secs).max(0) as u64 * 1000;
        } else {
            link.soft_limit_since = None;
        }
        if over {
            let id = self.clients.get(&conn).map_or(0, |client| client.id);
            let addr = self.replica_addr(conn);
            self.log(
                LogLevel::Warning,
                format!("Client id={id} addr={addr} (replica, {held} bytes held) scheduled to be closed ASAP for overcoming of output buffer limits."),
            );
            self.close(conn);
        }
    }

    /// Sends a replica what was held for it and lets the stream flow (after its snapshot, or
    /// its first ACK after a diskless one).
    fn start_stream(&mut self, conn: ConnId) {
        let Some(link) = self.link_mut(conn) else {
            return;
        };
        link.state = Some(ReplicaSyncState::Online);
        link.awaiting_first_ack = false;
        link.soft_limit_since = None;
        let held = std::mem::take(&mut link.held);
        self.state.stats.net_repl_output_bytes += held.len() as u64;
        self.write(conn, held);
    }

    // ----- Master side: SYNC and PSYNC ---------------------------------------------------------

    /// The id and offset check of a PSYNC (Redis's `masterTryPartialResynchronization`).
    fn partial_resync_check(&self, replid: &str, offset: i64) -> Result<u64, FullResyncReason> {
        let repl = &self.state.repl;
        if replid == "?" {
            return Err(FullResyncReason::NoHistory);
        }
        let id_known = replid == repl.replid
            || (replid == repl.replid2 && offset <= repl.second_replid_offset);
        if !id_known {
            return Err(FullResyncReason::IdMismatch);
        }
        let Some(backlog) = repl.backlog.as_ref() else {
            return Err(FullResyncReason::NoBacklog);
        };
        if offset < backlog.first_byte_offset() as i64 {
            return Err(FullResyncReason::OffsetOverwritten);
        }
        if offset > backlog.end_offset() as i64 + 1 {
            return Err(FullResyncReason::OffsetAhead);
        }
        Ok(offset as u64)
    }

    /// SYNC / PSYNC from `conn` once the command checks passed: continue from the backlog or
    /// start a full sync. `replid`/`offset` are None for the old SYNC.
    pub fn sync(&mut self, conn: ConnId, request: Option<(&str, i64)>) {
        let addr = self.replica_addr(conn);
        let check = match request {
            Some((replid, offset)) => self.partial_resync_check(replid, offset),
            None => Err(FullResyncReason::NoHistory),
        };
        let decision = self.decision(&addr, request, &check);
        match check {
            Ok(offset) => self.continue_replica(conn, offset, &addr, decision),
            Err(reason) => {
                if let Some((replid, offset)) = request {
                    if reason != FullResyncReason::NoHistory {
                        self.state.stats.sync_partial_err += 1;
                        self.log(
                            LogLevel::Notice,
                            format!("Partial resynchronization not accepted: {} (request {replid}:{offset})", decision.explain()),
                        );
                    } else {
                        self.log(
                            LogLevel::Notice,
                            format!("Full resync requested by replica {addr}"),
                        );
                    }
                }
                self.state.repl.record_decision(decision);
                self.full_resync_requested(conn, request.is_none());
            }
        }
    }

    fn decision(
        &self,
        addr: &str,
        request: Option<(&str, i64)>,
        check: &Result<u64, FullResyncReason>,
    ) -> PsyncDecision {
        let repl = &self.state.repl;
        let (requested_replid, requested_offset) = request.unwrap_or(("?", -1));
        let outcome = match check {
            Ok(offset) => PsyncOutcome::Continue {
                bytes: repl.master_repl_offset + 1 - offset,
            },
            Err(reason) => PsyncOutcome::FullResync { reason: *reason },
        };
        PsyncDecision {
            at_ms: self.now.as_millis(),
            replica: addr.to_string(),
            requested_replid: requested_replid.to_string(),
            requested_offset,
            replid: repl.replid.clone(),
            replid2: repl.replid2.clone(),
            second_replid_offset: repl.second_replid_offset,
            backlog_window: repl
                .backlog
                .as_ref()
                .map(|backlog| (backlog.first_byte_offset(), backlog.end_offset())),
            outcome,
        }
    }

    /// `+CONTINUE`: the replica is online at once and gets the backlog from `offset`.
    fn continue_replica(&mut self, conn: ConnId, offset: u64, addr: &str, decision: PsyncDecision) {
        let backlog_bytes = self
            .state
            .repl
            .backlog
            .as_ref()
            .and_then(|backlog| backlog.copy_from(offset))
            .unwrap_or_default();
        let replid = self.state.repl.replid.clone();
        let now = self.now;
        let Some(link) = self.link_mut(conn) else {
            return;
        };
        link.state = Some(ReplicaSyncState::Online);
        link.ack_at = now;
        let line = if link.capa_psync2 {
            format!("+CONTINUE {replid}\r\n")
        } else {
            "+CONTINUE\r\n".to_string()
        };
        self.attach_replica(conn);
        self.state.stats.sync_partial_ok += 1;
        self.log(
            LogLevel::Notice,
            format!(
                "Partial resynchronization request from {addr} accepted. Sending {} bytes of backlog starting from offset {offset}.",
                backlog_bytes.len()
            ),
        );
        self.state.repl.record_decision(decision);
        self.write(conn, line.into_bytes());
        self.state.stats.net_repl_output_bytes += backlog_bytes.len() as u64;
        self.write(conn, backlog_bytes);
        self.refresh_good_replicas();
    }

    /// Makes `conn` a replica, in attach order.
    fn attach_replica(&mut self, conn: ConnId) {
        if let Some(client) = self.clients.get_mut(&conn) {
            client.kind = ClientKind::Replica;
        }
        if !self.state.repl.replicas.contains(&conn) {
            self.state.repl.replicas.push(conn);
        }
    }

    /// The full-sync path of SYNC/PSYNC (Redis's `syncCommand` after the partial attempt).
    fn full_resync_requested(&mut self, conn: ConnId, pre_psync: bool) {
        self.state.stats.sync_full += 1;
        let now = self.now;
        if let Some(link) = self.link_mut(conn) {
            link.state = Some(ReplicaSyncState::WaitBgsaveStart);
            link.pre_psync = pre_psync;
            link.waiting_since = now;
        }
        self.attach_replica(conn);
        if self.state.repl.replicas.len() == 1 && self.state.repl.backlog.is_none() {
            // The first replica of a master without history: a new history starts here.
            self.state.repl.change_replid();
            self.state.repl.clear_replid2();
            self.state
                .repl
                .create_backlog(self.state.config.repl_backlog_size_bytes);
            let replid = self.state.repl.replid.clone();
            self.log(
                LogLevel::Notice,
                format!(
                    "Replication backlog created, my new replication IDs are '{replid}' and '{}'",
                    super::NO_REPLID
                ),
            );
        }
        let delay_secs = self.state.config.repl_diskless_sync_delay_secs;
        if !self.diskless_for(conn) || delay_secs <= 0 {
            self.start_full_syncs();
        } else {
            self.log(
                LogLevel::Notice,
                format!("Delay next BGSAVE for diskless SYNC ({delay_secs} s)"),
            );
        }
    }

    fn diskless_for(&self, conn: ConnId) -> bool {
        self.state.config.repl_diskless_sync
            && self
                .clients
                .get(&conn)
                .and_then(|client| client.replica_link.as_ref())
                .is_some_and(|link| link.capa_eof)
    }

    /// The replicas waiting for a snapshot, in attach order.
    fn waiting_for_snapshot(&self) -> Vec<ConnId> {
        let mut waiting = Vec::new();
        for &conn in &self.state.repl.replicas {
            let link = self
                .clients
                .get(&conn)
                .and_then(|client| client.replica_link.as_ref());
            if link.is_some_and(|link| link.state == Some(ReplicaSyncState::WaitBgsaveStart)) {
                waiting.push(conn);
            }
        }
        waiting
    }

    /// The cron's check for a delayed diskless sync (Redis's `replicationStartPendingFork`):
    /// start once the oldest waiting replica waited `repl-diskless-sync-delay`, or enough wait.
    pub fn start_delayed_full_syncs(&mut self) {
        let waiting = self.waiting_for_snapshot();
        let mut oldest_since: Option<Instant> = None;
        for conn in &waiting {
            let Some(link) = self
                .clients
                .get(conn)
                .and_then(|client| client.replica_link.as_ref())
            else {
                continue;
            };
            if oldest_since.is_none_or(|oldest| link.waiting_since < oldest) {
                oldest_since = Some(link.waiting_since);
            }
        }
        let Some(oldest_since) = oldest_since else {
            return;
        };
        let delay_ms =
            i64::from(self.state.config.repl_diskless_sync_delay_secs).max(0) as u64 * 1000;
        let max_replicas = self.state.config.repl_diskless_sync_max_replicas;
        let enough = max_replicas > 0 && waiting.len() as i64 >= i64::from(max_replicas);
        if self.now.millis_since(oldest_since) >= delay_ms || enough {
            self.start_full_syncs();
        }
    }

    /// Takes one snapshot (the simulated fork is instantaneous) and starts every waiting replica
    /// on it: `+FULLRESYNC <replid> <offset>`, then the RDB (`$EOF:` when diskless, `$<len>`
    /// from the disk file otherwise). The stream from here on is held until each can take it.
    pub fn start_full_syncs(&mut self) {
        let waiting = self.waiting_for_snapshot();
        if waiting.is_empty() {
            return;
        }
        // The database the stream is in, where the replica's master client starts: the last one
        // we selected as a master, our own master client's as a replica, whose stream we proxy
        // (Redis's `rdbPopulateSaveInfo`).
        let stream_db = self.save_info().map_or(0, |info| info.stream_db);
        let offset = self.state.repl.master_repl_offset;
        let replid = self.state.repl.replid.clone();
        let aux = AuxFields {
            ctime_secs: self.now.as_secs() as i64,
            used_mem_bytes: self.state.keyspace.used_bytes() as u64,
            replication: Some(ReplicationAux {
                stream_db,
                repl_id: replid.clone(),
                offset: offset as i64,
            }),
            aof_base: false,
        };
        let snapshot = rdb::encode(&self.state.keyspace, &aux, SaveOptions::default());
        let without_data = rdb::encode(
            &Keyspace::new(self.state.config.databases),
            &aux,
            SaveOptions::default(),
        );
        // A new full sync must begin its stream with SELECT (`slaveseldb = -1`).
        self.state.repl.stream.reset();
        let disk_needed = waiting.iter().any(|&conn| !self.diskless_for(conn));
        if disk_needed {
            self.log(
                LogLevel::Notice,
                "Starting BGSAVE for SYNC with target: disk",
            );
            self.state.pending_snapshots.push(snapshot.clone());
            self.state.stats.rdb_saves += 1;
        } else {
            self.log(
                LogLevel::Notice,
                "Starting BGSAVE for SYNC with target: replicas sockets",
            );
        }
        for conn in waiting {
            let link = self
                .clients
                .get(&conn)
                .and_then(|client| client.replica_link.as_ref());
            let filtered = link.is_some_and(|link| link.rdb_without_data);
            let rdb_only = link.is_some_and(|link| link.rdb_only);
            let rdb = if filtered { &without_data } else { &snapshot };
            self.send_snapshot(conn, rdb, &replid, offset);
            if rdb_only {
                // It wanted the file, not the stream.
                self.close(conn);
            }
        }
    }

    fn send_snapshot(&mut self, conn: ConnId, snapshot: &[u8], replid: &str, offset: u64) {
        let diskless = self.diskless_for(conn);
        let addr = self.replica_addr(conn);
        let Some(link) = self.link_mut(conn) else {
            return;
        };
        let mut bytes = Vec::with_capacity(snapshot.len() + 128);
        if !link.pre_psync {
            bytes.extend_from_slice(format!("+FULLRESYNC {replid} {offset}\r\n").as_bytes());
        }
        let pre_psync = link.pre_psync;
        if diskless {
            // `rdb::diskless_frame`, written straight into the output (no copy of the snapshot).
            let mark = self.state.repl.eof_mark();
            bytes.extend_from_slice(&rdb::diskless_preamble(&mark));
            bytes.extend_from_slice(snapshot);
            bytes.extend_from_slice(&mark);
        } else {
            bytes.extend_from_slice(&rdb::disk_preamble(snapshot.len()));
            bytes.extend_from_slice(snapshot);
        }
        self.state.stats.net_repl_output_bytes += bytes.len() as u64;
        self.write(conn, bytes);
        if diskless && !pre_psync {
            // Online once the snapshot is sent, but the stream waits for its first ACK: the
            // replica sends one as soon as it has loaded the payload.
            if let Some(link) = self.link_mut(conn) {
                link.state = Some(ReplicaSyncState::Online);
                link.awaiting_first_ack = true;
            }
        } else {
            self.start_stream(conn);
        }
        self.log(
            LogLevel::Notice,
            format!("Synchronization with replica {addr} succeeded"),
        );
        self.refresh_good_replicas();
    }

    /// `REPLCONF ACK <offset>` from a replica.
    pub fn ack(&mut self, conn: ConnId, offset: u64) {
        let now = self.now;
        let Some(link) = self.link_mut(conn) else {
            return;
        };
        if link.state.is_none() {
            return;
        }
        link.ack_offset = link.ack_offset.max(offset);
        link.ack_at = now;
        if link.awaiting_first_ack {
            self.start_stream(conn);
        }
    }

    /// A replica connection went away.
    pub fn replica_gone(&mut self, conn: ConnId) {
        let before = self.state.repl.replicas.len();
        self.state.repl.replicas.retain(|&replica| replica != conn);
        if before != self.state.repl.replicas.len() {
            let addr = self.replica_addr(conn);
            self.log(
                LogLevel::Notice,
                format!("Connection with replica {addr} lost."),
            );
            if self.state.repl.replicas.is_empty() {
                self.state.repl.no_replicas_since = self.now;
            }
            self.refresh_good_replicas();
        }
    }

    /// Closes every replica connection (they reconnect and PSYNC: after an id change they must
    /// learn the new id).
    pub fn disconnect_replicas(&mut self) {
        for conn in self.state.repl.replicas.clone() {
            self.close(conn);
        }
    }

    /// `min_slaves_good_slaves`: online replicas that acknowledged within `min-replicas-max-lag`.
    pub fn refresh_good_replicas(&mut self) {
        let max_lag_ms =
            i64::from(self.state.config.min_replicas_max_lag_secs).max(0) as u64 * 1000;
        let now = self.now;
        self.state.repl.good_replicas =
            super::count_online_replicas(self.state, self.clients, &|link| {
                now.millis_since(link.ack_at) / 1000 <= max_lag_ms / 1000
            });
    }

    // ----- Roles ----------------------------------------------------------------------------

    /// `REPLICAOF host port` (Redis's `replicationSetMaster`). False if it is already the
    /// master we follow.
    pub fn set_master(&mut self, host: &str, port: u16) -> bool {
        if let Some(link) = self.state.repl.master.as_ref() {
            if link.host.eq_ignore_ascii_case(host) && link.port == port {
                return false;
            }
        }
        let was_master = !self.state.repl.is_replica();
        self.drop_master_link(true);
        self.unblock_clients_for_role_change();
        if was_master {
            self.state.repl.cached_master = None;
            self.cache_master_using_myself();
        }
        self.state.repl.master = Some(MasterLink::new(host.to_string(), port, self.now));
        self.state.repl.connect_asap = true;
        self.log(
            LogLevel::Notice,
            format!("Connecting to MASTER {host}:{port}"),
        );
        true
    }

    /// `REPLICAOF NO ONE` (Redis's `replicationUnsetMaster`): the data stays, the history
    /// continues under a new id, with the old one valid up to here as `replid2`.
    pub fn unset_master(&mut self) {
        if !self.state.repl.is_replica() {
            return;
        }
        self.drop_master_link(false);
        self.state.repl.cached_master = None;
        self.state.repl.master = None;
        self.state.repl.shift_replid();
        self.disconnect_replicas();
        self.state.repl.stream.reset();
        self.state.repl.no_replicas_since = self.now;
        self.state.repl.link_down_since = None;
        self.state.repl.connect_asap = false;
        let (replid, replid2, second) = (
            self.state.repl.replid.clone(),
            self.state.repl.replid2.clone(),
            self.state.repl.second_replid_offset,
        );
        self.log(
            LogLevel::Notice,
            format!("Setting secondary replication ID to {replid2}, valid up to offset: {second}. New replication ID is {replid}"),
        );
        self.log(LogLevel::Notice, "MASTER MODE enabled");
    }

    /// A master becoming a replica remembers its own history as a cached master, to PSYNC with
    /// its new master (`replicationCacheMasterUsingMyself`).
    fn cache_master_using_myself(&mut self) {
        self.log(LogLevel::Notice, "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.");
        self.state.repl.cached_master = Some(CachedMaster {
            replid: self.state.repl.replid.clone(),
            reploff: self.state.repl.master_repl_offset,
            db: 0,
        });
    }

    /// Ends the link to our master: a streaming master is cached for PSYNC when `cache` (as
    /// Redis does for anything but a protocol error or promotion), the connection is closed.
    pub fn drop_master_link(&mut self, cache: bool) {
        let Some(link) = self.state.repl.master.as_mut() else {
            return;
        };
        let was_connected = link.state == LinkState::Connected;
        let conn = link.conn.take();
        let reploff = link.reploff;
        link.state = LinkState::Connect;
        link.inbox.clear();
        link.unapplied.clear();
        link.unapplied_from = 0;
        link.processed_bytes = 0;
        link.full_sync = None;
        link.transfer = Default::default();
        if let Some(conn) = conn {
            if was_connected && cache {
                let db = self.clients.get(&conn).map_or(0, |client| client.db);
                self.state.repl.cached_master = Some(CachedMaster {
                    replid: self.state.repl.replid.clone(),
                    reploff,
                    db,
                });
                self.log(LogLevel::Notice, "Caching the disconnected master state.");
            }
            if was_connected {
                self.state.repl.link_down_since = Some(self.now);
            }
            if self.clients.contains_key(&conn) {
                self.close(conn);
            } else {
                // Still connecting: the driver gives up on it.
                self.state.pending_kills.push(conn);
            }
        }
    }

    /// Unblocks WAITing clients with an error (the node is becoming a replica).
    fn unblock_clients_for_role_change(&mut self) {
        for conn in std::mem::take(&mut self.state.repl.waiting_acks) {
            let Some(client) = self.clients.get_mut(&conn) else {
                continue;
            };
            if client.blocked_wait.take().is_none() {
                continue;
            }
            self.state
                .pending_pushes
                .push((conn, Frame::error(UNBLOCKED_BY_ROLE_CHANGE)));
            self.state
                .stats
                .record_error(UNBLOCKED_BY_ROLE_CHANGE.as_bytes());
            self.close(conn);
        }
    }

    // ----- FAILOVER -----------------------------------------------------------------------------

    /// The replica announced (or connected) as `host`:`port` (Redis's `findReplica`).
    pub fn find_replica(&self, host: &str, port: i64) -> Option<ConnId> {
        self.state.repl.replicas.iter().copied().find(|&conn| {
            let addr = self.replica_addr(conn);
            let (ip, listening_port) = addr.rsplit_once(':').unwrap_or((&addr, "0"));
            ip.eq_ignore_ascii_case(host) && listening_port == port.to_string()
        })
    }

    /// Gives up a failover; one already handing over takes the master role back (with a new
    /// id, as any promotion).
    pub fn abort_failover(&mut self, reason: &str) {
        let failover = std::mem::replace(&mut self.state.repl.failover, FailoverState::None);
        let (target, in_progress) = match &failover {
            FailoverState::None => return,
            FailoverState::WaitingForSync(failover) => (failover.target.clone(), false),
            FailoverState::InProgress(failover) => (failover.target.clone(), true),
        };
        let whom = target.map_or("any replica".to_string(), |(host, port)| {
            format!("{host}:{port}")
        });
        self.log(
            LogLevel::Notice,
            format!("FAILOVER to {whom} aborted: {reason}"),
        );
        if in_progress {
            self.unset_master();
        }
    }

    /// Moves a failover on (Redis's `updateFailoverStatus`): on timeout abort, or with FORCE go
    /// ahead; once a replica acknowledged our whole stream, become its replica with
    /// `PSYNC ... FAILOVER`.
    pub fn update_failover(&mut self) {
        let FailoverState::WaitingForSync(failover) = self.state.repl.failover.clone() else {
            return;
        };
        if failover
            .deadline
            .is_some_and(|deadline| deadline <= self.now)
        {
            match (failover.force, failover.target.clone()) {
                (true, Some((host, port))) => {
                    self.log(
                        LogLevel::Notice,
                        format!("FAILOVER to {host}:{port} time out exceeded, failing over."),
                    );
                    self.hand_over(failover, host, port);
                }
                _ => self.abort_failover("Replica never caught up before timeout"),
            }
            return;
        }
        let offset = self.state.repl.master_repl_offset;
        let caught_up = |ctx: &Self, conn: ConnId| {
            ctx.clients
                .get(&conn)
                .and_then(|client| client.replica_link.as_ref())
                .is_some_and(|link| link.ack_offset == offset)
        };
        let chosen = match failover.target.clone() {
            Some((host, port)) => self
                .find_replica(&host, i64::from(port))
                .filter(|&conn| caught_up(self, conn))
                .map(|_| (host, port)),
            None => self
                .state
                .repl
                .replicas
                .iter()
                .copied()
                .find(|&conn| caught_up(self, conn))
                .and_then(|conn| {
                    let addr = self.replica_addr(conn);
                    let (host, port) = addr.rsplit_once(':')?;
                    Some((host.to_string(), port.parse().ok()?))
                }),
        };
        if let Some((host, port)) = chosen {
            self.log(
                LogLevel::Notice,
                format!("Failover target {host}:{port} is synced, failing over."),
            );
            self.hand_over(failover, host, port);
        }
    }

    fn hand_over(&mut self, mut failover: super::Failover, host: String, port: u16) {
        failover.target = Some((host.clone(), port));
        self.state.repl.failover = FailoverState::InProgress(failover);
        self.set_master(&host, port);
        if let Some(link) = self.state.repl.master.as_mut() {
            link.failover_psync = true;
        }
    }

    /// Whether client writes wait (FAILOVER pauses them until it ends).
    pub fn writes_paused(&self) -> bool {
        self.state.repl.failover != FailoverState::None
    }

    // ----- Replica side -----------------------------------------------------------------------

    /// `REPLCONF ACK <applied offset>` to our master.
    pub fn send_ack(&mut self) {
        let Some(link) = self.state.repl.master.as_ref() else {
            return;
        };
        let (Some(conn), LinkState::Connected) = (link.conn, link.state) else {
            return;
        };
        let offset = link.reploff.to_string();
        let mut bytes = Vec::new();
        encode_request(&[&b"REPLCONF"[..], b"ACK", offset.as_bytes()], &mut bytes);
        self.write(conn, bytes);
    }

    /// What an RDB saved now records about replication (`rdbPopulateSaveInfo`): a master with a
    /// backlog, or a replica with a live or cached master; otherwise nothing.
    pub fn save_info(&self) -> Option<ReplicationAux> {
        let repl = &self.state.repl;
        let stream_db = if !repl.is_replica() {
            repl.backlog.as_ref()?;
            repl.stream.selected_db().unwrap_or(0)
        } else if let Some(conn) = repl.master.as_ref().and_then(|link| link.conn) {
            match self.clients.get(&conn) {
                Some(client) if repl.link_is_up() => client.db,
                _ => repl.cached_master.as_ref()?.db,
            }
        } else {
            repl.cached_master.as_ref()?.db
        };
        Some(ReplicationAux {
            stream_db: stream_db as i64,
            repl_id: repl.replid.clone(),
            offset: repl.master_repl_offset as i64,
        })
    }
}
