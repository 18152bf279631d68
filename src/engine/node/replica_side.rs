//! The replica side of the node: connecting to our master, the handshake, receiving a full
//! sync's RDB, and applying the stream (Redis's `connectWithMaster`, `syncWithMaster`,
//! `readSyncBulkPayload` and the master client).

use super::{Node, Output};
use crate::engine::client::{Client, ClientKind, Peer};
use crate::engine::command::{self, Ctx};
use crate::engine::log::LogLevel;
use crate::engine::rdb::{self, TransferHeader};
use crate::engine::replication::ops::ReplicationCtx;
use crate::engine::replication::{HandshakeStep, LinkState, StreamEntry};
use crate::engine::resp::{encode_request, RequestLimits};
use crate::engine::state::Loading;
use crate::engine::time::Instant;
use crate::engine::ConnId;

/// How a handshake step went.
enum Step {
    /// Wait for more bytes.
    NeedMore,
    /// Read the next reply.
    Next,
    /// Give up this attempt; the cron retries.
    Fail,
}

impl Node {
    /// Whether `conn` is the link to our master.
    pub(super) fn is_master_link(&self, conn: ConnId) -> bool {
        self.state
            .repl
            .master
            .as_ref()
            .is_some_and(|link| link.conn == Some(conn))
    }

    /// Starts the TCP connection to our master (Redis's `connectWithMaster`).
    pub(super) fn connect_to_master(&mut self, now: Instant) {
        let conn = self.state.repl.next_conn();
        let Some(link) = self.state.repl.master.as_mut() else {
            return;
        };
        link.conn = Some(conn);
        link.state = LinkState::Connecting;
        link.last_io_at = now;
        let (host, port) = (link.host.clone(), link.port);
        self.state.repl.connect_asap = false;
        self.state.log(
            LogLevel::Notice,
            "MASTER <-> REPLICA sync started".to_string(),
        );
        self.outputs.push_back(Output::Connect { conn, host, port });
    }

    /// Our connection to the master is up: the handshake starts with PING.
    pub(super) fn on_master_link_connected(&mut self, now: Instant, peer: Peer) {
        let Some(link) = self.state.repl.master.as_mut() else {
            return;
        };
        link.state = LinkState::Handshake(HandshakeStep::PingReply);
        link.last_io_at = now;
        link.peer = peer;
        self.state.log(
            LogLevel::Notice,
            "Non blocking connect for SYNC fired the event.",
        );
        self.send_to_master(&[b"PING"]);
    }

    fn send_to_master(&mut self, args: &[&[u8]]) {
        let mut bytes = Vec::new();
        encode_request(args, &mut bytes);
        if let Some(conn) = self.state.repl.master.as_ref().and_then(|link| link.conn) {
            self.transmit(conn, bytes);
        }
    }

    /// Bytes from our master: handshake replies, the RDB, or the stream.
    pub(super) fn on_master_link_bytes(&mut self, now: Instant, bytes: &[u8]) {
        let loading = self.state.loading.is_some();
        let Some(link) = self.state.repl.master.as_mut() else {
            return;
        };
        link.last_io_at = now;
        self.state.stats.net_repl_input_bytes += bytes.len() as u64;
        if loading {
            // Loading the snapshot: the stream waits, as it would in the socket.
            link.inbox.extend_from_slice(bytes);
            return;
        }
        match link.state {
            LinkState::Connected => {
                self.receive_stream(now, bytes);
                return;
            }
            _ => link.inbox.extend_from_slice(bytes),
        }
        loop {
            let state = self.state.repl.master.as_ref().map(|link| link.state);
            let step = match state {
                Some(LinkState::Handshake(step)) => self.handshake_reply(now, step),
                Some(LinkState::Transfer) => self.receive_transfer(now),
                _ => return,
            };
            match step {
                Step::NeedMore => return,
                Step::Next => continue,
                Step::Fail => {
                    self.cancel_handshake();
                    return;
                }
            }
        }
    }

    /// One line from the inbox, without its CRLF.
    fn take_line(&mut self) -> Option<Vec<u8>> {
        let link = self.state.repl.master.as_mut()?;
        let newline = link.inbox.iter().position(|&b| b == b'\n')?;
        let mut line: Vec<u8> = link.inbox.drain(..=newline).collect();
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Some(line)
    }

    fn handshake_reply(&mut self, now: Instant, step: HandshakeStep) -> Step {
        let Some(line) = self.take_line() else {
            return Step::NeedMore;
        };
        let text = String::from_utf8_lossy(&line).into_owned();
        match step {
            HandshakeStep::PingReply => {
                let accepted = line.starts_with(b"+")
                    || line.starts_with(b"-NOAUTH")
                    || line.starts_with(b"-NOPERM")
                    || line.starts_with(b"-ERR operation not permitted");
                if !accepted {
                    self.state.log(
                        LogLevel::Warning,
                        format!("Error reply to PING from master: '{text}'"),
                    );
                    return Step::Fail;
                }
                self.state.log(
                    LogLevel::Notice,
                    "Master replied to PING, replication can continue...",
                );
                self.send_handshake_commands();
                Step::Next
            }
            HandshakeStep::AuthReply => {
                if line.starts_with(b"-") {
                    self.state.log(
                        LogLevel::Warning,
                        format!("Unable to AUTH to MASTER: {text}"),
                    );
                    return Step::Fail;
                }
                self.set_step(HandshakeStep::PortReply);
                Step::Next
            }
            HandshakeStep::PortReply | HandshakeStep::IpReply | HandshakeStep::CapaReply => {
                if line.starts_with(b"-") {
                    self.state.log(
                        LogLevel::Notice,
                        format!("(Non critical) Master does not understand REPLCONF: {text}"),
                    );
                }
                let next = match step {
                    HandshakeStep::PortReply if self.state.config.replica_announce_ip.is_some() => {
                        HandshakeStep::IpReply
                    }
                    HandshakeStep::PortReply | HandshakeStep::IpReply => HandshakeStep::CapaReply,
                    _ => {
                        self.send_psync();
                        HandshakeStep::PsyncReply
                    }
                };
                self.set_step(next);
                Step::Next
            }
            HandshakeStep::PsyncReply => self.psync_reply(now, &line, &text),
        }
    }

    fn set_step(&mut self, step: HandshakeStep) {
        if let Some(link) = self.state.repl.master.as_mut() {
            link.state = LinkState::Handshake(step);
        }
    }

    /// AUTH, REPLCONF listening-port, REPLCONF ip-address and REPLCONF capa, pipelined.
    fn send_handshake_commands(&mut self) {
        let config = &self.state.config;
        let auth: Option<Vec<Vec<u8>>> = config.masterauth.as_ref().map(|password| {
            let mut args = vec![b"AUTH".to_vec()];
            args.extend(config.masteruser.clone());
            args.push(password.clone());
            args
        });
        let port = if config.replica_announce_port != 0 {
            config.replica_announce_port
        } else {
            config.port
        }
        .to_string();
        let announce_ip = config.replica_announce_ip.clone();
        let first_step = if let Some(args) = auth {
            let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
            self.send_to_master(&args);
            HandshakeStep::AuthReply
        } else {
            HandshakeStep::PortReply
        };
        self.send_to_master(&[b"REPLCONF", b"listening-port", port.as_bytes()]);
        if let Some(ip) = announce_ip {
            self.send_to_master(&[b"REPLCONF", b"ip-address", ip.as_bytes()]);
        }
        self.send_to_master(&[b"REPLCONF", b"capa", b"eof", b"capa", b"psync2"]);
        self.set_step(first_step);
    }

    /// `PSYNC <cached replid> <cached offset + 1>`, or `PSYNC ? -1` without a cached master.
    fn send_psync(&mut self) {
        let (replid, offset) = match self.state.repl.cached_master.as_ref() {
            Some(cached) => (cached.replid.clone(), (cached.reploff + 1).to_string()),
            None => ("?".to_string(), "-1".to_string()),
        };
        if replid == "?" {
            self.state.log(
                LogLevel::Notice,
                "Partial resynchronization not possible (no cached master)",
            );
        } else {
            self.state.log(
                LogLevel::Notice,
                format!("Trying a partial resynchronization (request {replid}:{offset})."),
            );
        }
        let failover = self
            .state
            .repl
            .master
            .as_ref()
            .is_some_and(|link| link.failover_psync);
        if failover {
            self.send_to_master(&[b"PSYNC", replid.as_bytes(), offset.as_bytes(), b"FAILOVER"]);
        } else {
            self.send_to_master(&[b"PSYNC", replid.as_bytes(), offset.as_bytes()]);
        }
    }

    fn psync_reply(&mut self, now: Instant, line: &[u8], text: &str) -> Step {
        if line.is_empty() {
            // A keep-alive newline while the master prepares the snapshot.
            return Step::Next;
        }
        if let Some(rest) = text.strip_prefix("+FULLRESYNC") {
            let mut words = rest.split_whitespace();
            let (Some(replid), Some(offset)) = (
                words.next(),
                words.next().and_then(|word| word.parse::<u64>().ok()),
            ) else {
                self.state.log(
                    LogLevel::Warning,
                    "Master replied with wrong +FULLRESYNC syntax.",
                );
                return Step::Fail;
            };
            self.state.log(
                LogLevel::Notice,
                format!("Full resync from master: {replid}:{offset}"),
            );
            self.end_failover_handover();
            if let Some(link) = self.state.repl.master.as_mut() {
                link.full_sync = Some((replid.to_string(), offset));
                link.transfer = Default::default();
                link.transfer.last_io_at = Some(now);
                link.state = LinkState::Transfer;
            }
            return Step::Next;
        }
        if let Some(rest) = text.strip_prefix("+CONTINUE") {
            self.continue_with_master(now, rest.trim());
            return Step::NeedMore;
        }
        if text.starts_with("-NOMASTERLINK") || text.starts_with("-LOADING") {
            self.state.log(
                LogLevel::Notice,
                format!("Master is currently unable to PSYNC but should be in the future: {text}"),
            );
        } else {
            self.state.log(
                LogLevel::Warning,
                format!("Unexpected reply to PSYNC from master: {text}"),
            );
        }
        if matches!(
            self.state.repl.failover,
            crate::engine::replication::FailoverState::InProgress(_)
        ) {
            self.replication(now)
                .abort_failover("Failover target rejected psync request");
            return Step::NeedMore;
        }
        Step::Fail
    }

    /// `+CONTINUE [replid]`: the cached master becomes the live master again (Redis's
    /// `replicationResurrectCachedMaster`); a new id means our own replicas must reconnect.
    fn continue_with_master(&mut self, now: Instant, new_replid: &str) {
        self.state.log(
            LogLevel::Notice,
            "Successful partial resynchronization with master.",
        );
        self.end_failover_handover();
        let Some(cached) = self.state.repl.cached_master.take() else {
            return;
        };
        if new_replid.len() == 40 && new_replid != cached.replid {
            let repl = &mut self.state.repl;
            repl.replid2 = cached.replid.clone();
            repl.second_replid_offset = repl.master_repl_offset as i64 + 1;
            repl.replid = new_replid.to_string();
            self.state.log(
                LogLevel::Notice,
                format!("Master replication ID changed to {new_replid}"),
            );
            self.replication(now).disconnect_replicas();
        }
        if self.state.repl.backlog.is_none() {
            let size = self.state.config.repl_backlog_size_bytes;
            self.state.repl.create_backlog(size);
        }
        self.state.log(
            LogLevel::Notice,
            "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.",
        );
        self.state.repl.stream_log.push(StreamEntry::Continue {
            at: now,
            offset: cached.reploff,
        });
        let leftover = self.link_up(now, cached.db, cached.reploff);
        if !leftover.is_empty() {
            self.receive_stream(now, &leftover);
        }
    }

    /// A PSYNC answered during FAILOVER ends it: we are the new master's replica now.
    fn end_failover_handover(&mut self) {
        if matches!(
            self.state.repl.failover,
            crate::engine::replication::FailoverState::InProgress(_)
        ) {
            self.state.repl.failover = crate::engine::replication::FailoverState::None;
            if let Some(link) = self.state.repl.master.as_mut() {
                link.failover_psync = false;
            }
        }
    }

    /// The link streams from here: the master client exists, selected on `db`, at `reploff`.
    /// Returns the bytes already received after the handshake (the stream's start).
    fn link_up(&mut self, now: Instant, db: usize, reploff: u64) -> Vec<u8> {
        let id = self.state.next_client_id;
        self.state.next_client_id += 1;
        let Some(link) = self.state.repl.master.as_mut() else {
            return Vec::new();
        };
        let Some(conn) = link.conn else {
            return Vec::new();
        };
        link.state = LinkState::Connected;
        link.reploff = reploff;
        link.read_reploff = reploff;
        link.unapplied.clear();
        link.unapplied_from = 0;
        link.processed_bytes = 0;
        let leftover = std::mem::take(&mut link.inbox);
        let mut client = Client::new(id, conn, link.peer.clone(), now, true);
        client.kind = ClientKind::Master;
        client.db = db;
        self.clients.insert(conn, Box::new(client));
        self.state.repl.link_down_since = None;
        self.state.repl.master_repl_offset = reploff;
        leftover
    }

    /// The full sync's payload: the `$` header, then the RDB bytes.
    fn receive_transfer(&mut self, now: Instant) -> Step {
        let header_read = self
            .state
            .repl
            .master
            .as_ref()
            .is_some_and(|link| link.transfer.header.is_some());
        if !header_read {
            let Some(line) = self.take_line() else {
                return Step::NeedMore;
            };
            if line.is_empty() {
                return Step::Next;
            }
            if let Some(error) = line.strip_prefix(b"-") {
                self.state.log(
                    LogLevel::Warning,
                    format!(
                        "MASTER aborted replication with an error: {}",
                        String::from_utf8_lossy(error)
                    ),
                );
                return Step::Fail;
            }
            let header = match rdb::parse_transfer_header(&line) {
                Ok(header) => header,
                Err(error) => {
                    self.state
                        .log(LogLevel::Warning, error.message().to_string());
                    return Step::Fail;
                }
            };
            let link = self.state.repl.master.as_mut().expect("checked above");
            let description = match &header {
                TransferHeader::Disk { len } => format!("{len} bytes"),
                TransferHeader::Diskless { .. } => "EOF mark".to_string(),
            };
            link.transfer.header = Some(header);
            self.state.log(
                LogLevel::Notice,
                format!("MASTER <-> REPLICA sync: receiving {description} from master to disk"),
            );
        }
        let link = self.state.repl.master.as_mut().expect("checked above");
        let inbox = std::mem::take(&mut link.inbox);
        if !inbox.is_empty() {
            link.transfer.last_io_at = Some(now);
        }
        if link.transfer.payload.is_empty() {
            link.transfer.payload = inbox;
        } else {
            link.transfer.payload.extend_from_slice(&inbox);
        }
        let complete = match &link.transfer.header {
            Some(TransferHeader::Disk { len }) => {
                let len = *len as usize;
                (link.transfer.payload.len() >= len).then(|| {
                    let rest = link.transfer.payload.split_off(len);
                    (std::mem::take(&mut link.transfer.payload), rest, false)
                })
            }
            Some(TransferHeader::Diskless { mark }) => {
                let complete = rdb::strip_eof_mark(&link.transfer.payload, mark).is_some();
                complete.then(|| {
                    let mut rdb = std::mem::take(&mut link.transfer.payload);
                    rdb.truncate(rdb.len() - rdb::EOF_MARK_BYTES);
                    (rdb, Vec::new(), true)
                })
            }
            None => None,
        };
        match complete {
            Some((rdb, rest, diskless)) => {
                if let Some(link) = self.state.repl.master.as_mut() {
                    // What followed the payload is the stream's start.
                    link.inbox = rest;
                }
                if self.load_full_sync(now, rdb, diskless) {
                    Step::NeedMore
                } else {
                    Step::Fail
                }
            }
            None => Step::NeedMore,
        }
    }

    /// Replaces our data with the master's snapshot (Redis's `readSyncBulkPayload` after the
    /// transfer): cached master, sub-replicas and backlog go first, since our history ends here.
    fn load_full_sync(&mut self, now: Instant, rdb_bytes: Vec<u8>, diskless: bool) -> bool {
        self.state.log(
            LogLevel::Notice,
            "MASTER <-> REPLICA sync: Flushing old data",
        );
        self.state.repl.cached_master = None;
        self.replication(now).disconnect_replicas();
        self.state.repl.backlog = None;
        self.state.signal_flushed_db(None);
        let databases = self.state.config.databases;
        self.state.keyspace = crate::engine::keyspace::Keyspace::new(databases);
        self.state.log(
            LogLevel::Notice,
            "MASTER <-> REPLICA sync: Loading DB in memory",
        );
        let loaded = match rdb::decode(&rdb_bytes, &self.state.config) {
            Ok(loaded) => loaded,
            Err(error) => {
                self.state.log(
                    LogLevel::Warning,
                    format!(
                        "Failed trying to load the MASTER synchronization DB from disk: {}",
                        error.message()
                    ),
                );
                return false;
            }
        };
        let stream_db = loaded
            .aux
            .repl_stream_db()
            .filter(|&db| db >= 0 && (db as usize) < databases)
            .unwrap_or(0) as usize;
        self.state.keyspace = loaded.keyspace;
        // A replica keeps the keys that expired on its master (they go with its DELs).
        self.state.persistence.last_load_keys_loaded = self.state.keyspace.key_count() as u64;
        self.state.persistence.last_load_keys_expired = 0;
        let rdb_len = rdb_bytes.len() as u64;
        // Disk-based loading stores the file as our own dump, as Redis renames its temp file.
        self.state.pending_snapshots.push(rdb_bytes);
        let Some((replid, offset)) = self
            .state
            .repl
            .master
            .as_ref()
            .and_then(|link| link.full_sync.clone())
        else {
            return false;
        };
        self.state.repl.replid = replid;
        self.state.repl.clear_replid2();
        self.state.repl.master_repl_offset = offset;
        self.state.repl.full_syncs_loaded += 1;
        let size = self.state.config.repl_backlog_size_bytes;
        self.state.repl.create_backlog(size);
        self.state.repl.stream_log.push(StreamEntry::FullSync {
            at: now,
            offset,
            rdb_bytes: rdb_len,
        });
        if let Some(link) = self.state.repl.master.as_mut() {
            link.loaded = Some((stream_db, offset, diskless));
        }
        match self.state.load_bytes_per_sec {
            Some(rate) => {
                let total_bytes = rdb_len;
                let duration_ms = (total_bytes * 1000).div_ceil(rate);
                self.state.loading = Some(Loading {
                    started_at: now,
                    until: now.add_millis(duration_ms),
                    total_bytes,
                });
            }
            None => self.finish_loading(now),
        }
        true
    }

    /// The snapshot is loaded: the link streams (Redis's end of `readSyncBulkPayload`).
    pub(super) fn finish_loading(&mut self, now: Instant) {
        self.state.loading = None;
        let Some((stream_db, offset, diskless)) = self
            .state
            .repl
            .master
            .as_mut()
            .and_then(|link| link.loaded.take())
        else {
            return;
        };
        let leftover = self.link_up(now, stream_db, offset);
        self.state.log(
            LogLevel::Notice,
            "MASTER <-> REPLICA sync: Finished with success",
        );
        if diskless {
            // The master starts the stream at our first ACK.
            self.replication(now).send_ack();
        }
        if !leftover.is_empty() {
            self.receive_stream(now, &leftover);
        }
        self.flush_side_effects();
    }

    /// Stream bytes from a streaming master: applied command by command; each applied command's
    /// exact bytes go on into our backlog and to our own replicas.
    fn receive_stream(&mut self, now: Instant, bytes: &[u8]) {
        let Some(link) = self.state.repl.master.as_mut() else {
            return;
        };
        let Some(conn) = link.conn else {
            return;
        };
        link.read_reploff += bytes.len() as u64;
        if link.unapplied_from > 0 {
            link.unapplied.drain(..link.unapplied_from);
            link.unapplied_from = 0;
        }
        link.unapplied.extend_from_slice(bytes);
        let Some(client) = self.clients.get_mut(&conn) else {
            return;
        };
        client.decoder.push(bytes);
        client.last_interaction_at = now;
        loop {
            let Some(client) = self.clients.get_mut(&conn) else {
                return;
            };
            let limits = RequestLimits {
                bulk_bytes_max: self.state.config.proto_max_bulk_len,
                auth_required: false,
                from_master: true,
            };
            match client.next_request(limits) {
                Ok(Some(request)) => {
                    if let Some(link) = self.state.repl.master.as_mut() {
                        link.processed_bytes += request.wire_bytes;
                    }
                    if !request.args.is_empty() {
                        let mut ctx = Ctx::new(now, &mut self.state, &mut self.clients, conn);
                        // Our master's commands get no replies (REPLCONF GETACK queues its ACK).
                        let _ = command::process(&mut ctx, &request.args);
                    }
                    let in_transaction = self
                        .clients
                        .get(&conn)
                        .is_some_and(|client| client.in_transaction());
                    if !in_transaction {
                        self.apply_processed(now);
                    }
                }
                Ok(None) => return,
                Err(error) => {
                    self.state.log(
                        LogLevel::Warning,
                        format!(
                            "Protocol error from MASTER, closing the link: {}",
                            String::from_utf8_lossy(&error.description())
                        ),
                    );
                    self.replication(now).drop_master_link(false);
                    return;
                }
            }
        }
    }

    /// Commands processed up to a point outside MULTI are applied: the offset moves by their
    /// bytes, which are proxied, unchanged, to our backlog and our replicas.
    fn apply_processed(&mut self, now: Instant) {
        let Some(link) = self.state.repl.master.as_mut() else {
            return;
        };
        let unapplied = link.unapplied.len() - link.unapplied_from;
        let applied = std::mem::take(&mut link.processed_bytes).min(unapplied);
        if applied == 0 {
            return;
        }
        link.reploff += applied as u64;
        let end_offset = link.reploff;
        let start = link.unapplied_from;
        link.unapplied_from += applied;
        // Lent out while replication feeds them on (it does not touch the link's buffers).
        let read = std::mem::take(&mut link.unapplied);
        let bytes = &read[start..start + applied];
        self.replication(now).feed(bytes);
        if self.state.propagation_observed {
            // Only a driver that shows the stream (the page) pays for keeping a copy.
            self.state.repl.stream_log.push(StreamEntry::Applied {
                at: now,
                end_offset,
                bytes: bytes.to_vec(),
            });
        }
        if let Some(link) = self.state.repl.master.as_mut() {
            link.unapplied = read;
        }
    }

    /// Abandons a handshake or transfer; the cron tries again (Redis's
    /// `cancelReplicationHandshake`).
    pub(super) fn cancel_handshake(&mut self) {
        let Some(link) = self.state.repl.master.as_mut() else {
            return;
        };
        if let Some(conn) = link.conn.take() {
            self.outputs.push_back(Output::Close { conn });
        }
        link.state = LinkState::Connect;
        link.inbox.clear();
        link.transfer = Default::default();
        link.full_sync = None;
    }

    /// The link to our master closed (or its connect failed).
    pub(super) fn on_master_link_closed(&mut self, now: Instant, reason: Option<&str>) {
        let Some(link) = self.state.repl.master.as_ref() else {
            return;
        };
        match link.state {
            LinkState::Connected => {
                self.state
                    .log(LogLevel::Notice, "Connection with master lost.");
                self.replication(now).drop_master_link(true);
                // Reconnect at once rather than wait for the cron: the backlog keeps moving.
                self.state.repl.connect_asap = true;
            }
            _ => {
                let message = match reason {
                    Some(reason) => format!("Error condition on socket for SYNC: {reason}"),
                    None => "Master closed the connection during the handshake".to_string(),
                };
                self.state.log(LogLevel::Warning, message);
                if let Some(link) = self.state.repl.master.as_mut() {
                    link.conn = None;
                }
                self.cancel_handshake();
            }
        }
    }

    /// The replica part of the 1 Hz replication cron: timeouts, connecting, ACKs.
    pub(super) fn replica_cron(&mut self, now: Instant) {
        let Some(link) = self.state.repl.master.as_ref() else {
            return;
        };
        let timeout_ms = i64::from(self.state.config.repl_timeout_secs).max(1) as u64 * 1000;
        let idle_ms = now.millis_since(link.last_io_at);
        match link.state {
            LinkState::Connecting | LinkState::Handshake(_) if idle_ms > timeout_ms => {
                self.state
                    .log(LogLevel::Warning, "Timeout connecting to the MASTER...");
                self.cancel_handshake();
            }
            LinkState::Transfer if idle_ms > timeout_ms => {
                self.state.log(LogLevel::Warning, "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
                self.cancel_handshake();
            }
            LinkState::Connected if idle_ms > timeout_ms => {
                self.state.log(
                    LogLevel::Warning,
                    "MASTER timeout: no data nor PING received...",
                );
                self.replication(now).drop_master_link(true);
                self.state.repl.connect_asap = true;
            }
            _ => {}
        }
        let state = self.state.repl.link_state();
        if state == Some(LinkState::Connect) {
            self.connect_to_master(now);
        } else if state == Some(LinkState::Connected) {
            self.replication(now).send_ack();
        }
    }

    /// Replication's operations on this node.
    pub(super) fn replication(&mut self, now: Instant) -> ReplicationCtx<'_> {
        ReplicationCtx::new(now, &mut self.state, &mut self.clients)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::{Config, ProtectedAction};
    use crate::engine::node::Input;
    use crate::engine::resp::{Frame, ReplyDecoder};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const ADMIN: ConnId = ConnId(1);

    /// Nodes wired by their REPLICAOFs (`10.0.0.<n>` is node n, from 1), every connection's
    /// bytes delivered in pieces of `chunk` bytes.
    struct Wired {
        nodes: Vec<Node>,
        /// (node, conn) ↔ (node, conn), both directions.
        links: Vec<((usize, ConnId), (usize, ConnId))>,
        replies: Vec<ReplyDecoder>,
        chunk: usize,
    }

    impl Wired {
        fn new(count: usize, chunk: usize) -> Wired {
            let now = Instant::from_millis(1_000);
            let nodes = (0..count)
                .map(|index| {
                    let config = Config {
                        enable_debug_command: ProtectedAction::Yes,
                        repl_diskless_sync_delay_secs: 0,
                        ..Config::default()
                    };
                    let mut node = Node::new(config, now, index as u64 + 1);
                    node.set_propagation_observed(false);
                    node.handle_input(
                        now,
                        Input::Connected {
                            conn: ADMIN,
                            peer: Peer::default(),
                        },
                    );
                    node
                })
                .collect();
            Wired {
                nodes,
                links: Vec::new(),
                replies: (0..count).map(|_| ReplyDecoder::new()).collect(),
                chunk,
            }
        }

        /// Runs `args` on node `index` (0-based) and everything it causes; its reply.
        fn call(&mut self, index: usize, args: &[&str]) -> Frame {
            let mut bytes = Vec::new();
            encode_request(args, &mut bytes);
            self.nodes[index].handle_received(Instant::from_millis(1_000), ADMIN, &bytes);
            self.pump();
            self.replies[index]
                .next_frame()
                .ok()
                .flatten()
                .expect("a reply")
        }

        fn other_end(&self, end: (usize, ConnId)) -> Option<(usize, ConnId)> {
            self.links.iter().find_map(|&(a, b)| {
                if a == end {
                    Some(b)
                } else if b == end {
                    Some(a)
                } else {
                    None
                }
            })
        }

        fn pump(&mut self) {
            let now = Instant::from_millis(1_000);
            loop {
                let mut moved = false;
                for index in 0..self.nodes.len() {
                    while let Some(output) = self.nodes[index].poll_output() {
                        moved = true;
                        match output {
                            Output::Connect { conn, host, .. } => {
                                let target: usize =
                                    host.trim_start_matches("10.0.0.").parse().unwrap();
                                let accepted = ConnId(100 + index as u32);
                                self.links.push(((index, conn), (target - 1, accepted)));
                                self.nodes[target - 1].handle_input(
                                    now,
                                    Input::Connected {
                                        conn: accepted,
                                        peer: Peer::default(),
                                    },
                                );
                                self.nodes[index].handle_input(
                                    now,
                                    Input::Connected {
                                        conn,
                                        peer: Peer::default(),
                                    },
                                );
                            }
                            Output::Transmit { conn, bytes } if conn == ADMIN => {
                                self.replies[index].push(&bytes);
                            }
                            Output::Transmit { conn, bytes } => {
                                if let Some((to, at)) = self.other_end((index, conn)) {
                                    for piece in bytes.chunks(self.chunk) {
                                        self.nodes[to].handle_received(now, at, piece);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                if !moved {
                    return;
                }
            }
        }

        fn backlog(&self, index: usize) -> Vec<u8> {
            let backlog = self.nodes[index].state().repl.backlog.as_ref().unwrap();
            backlog.copy_from(backlog.first_byte_offset()).unwrap()
        }
    }

    #[test]
    fn a_chained_replica_passes_on_exactly_the_stream_it_applies_whatever_the_chunking() {
        for chunk in [1, 7, 4096] {
            let mut wired = Wired::new(3, chunk);
            assert_eq!(wired.call(0, &["SET", "before", "sync"]), Frame::ok());
            assert_eq!(
                wired.call(1, &["REPLICAOF", "10.0.0.1", "6379"]),
                Frame::ok()
            );
            assert_eq!(
                wired.call(2, &["REPLICAOF", "10.0.0.2", "6379"]),
                Frame::ok()
            );
            for args in [
                &["SET", "a", "1"][..],
                &["MULTI"],
                &["INCR", "a"],
                &["SET", "b", "x", "EX", "100"],
                &["EXEC"],
                &["SELECT", "3"],
                &["RPUSH", "list", "p", "q"],
                &["DEL", "before"],
            ] {
                wired.call(0, args);
            }
            let offset = wired.nodes[0].state().repl.master_repl_offset;
            for index in 1..3 {
                let repl = &wired.nodes[index].state().repl;
                assert!(repl.link_is_up(), "chunk {chunk}: node {index}'s link");
                assert_eq!(repl.master_repl_offset, offset, "chunk {chunk}");
                assert_eq!(repl.master.as_ref().unwrap().reploff, offset);
                assert_eq!(wired.backlog(index), wired.backlog(0), "chunk {chunk}");
            }
            let digest = wired.call(0, &["DEBUG", "DIGEST"]);
            assert_eq!(wired.call(1, &["DEBUG", "DIGEST"]), digest);
            assert_eq!(wired.call(2, &["DEBUG", "DIGEST"]), digest);
        }
    }
}
