//! Invariants checked after every step in tests (TigerBeetle's checkers): a violation is a bug in
//! the simulator or the engine, reported with the seed that reproduces it.

use super::Sim;

/// The first invariant `sim` violates, if any.
pub fn check(sim: &Sim) -> Result<(), String> {
    check_streams(sim)
        .and_then(|()| check_node_sockets(sim))
        .and_then(|()| check_replication(sim))
        .map_err(|violation| format!("{violation} (reproduce with seed {})", sim.seed()))
}

/// Every stream delivers its bytes once, in order, never before they were sent.
fn check_streams(sim: &Sim) -> Result<(), String> {
    for (socket, connection) in &sim.network().connections {
        for (index, stream) in connection.streams.iter().enumerate() {
            if stream.bytes_delivered > stream.bytes_sent {
                return Err(format!(
                    "socket {socket:?} stream {index}: more bytes delivered than sent"
                ));
            }
            let mut expected_offset = stream.bytes_delivered;
            let mut previous_arrival = None;
            for segment in &stream.in_flight {
                if segment.offset != expected_offset {
                    return Err(format!(
                        "socket {socket:?} stream {index}: segment at offset {} where {expected_offset} was expected",
                        segment.offset
                    ));
                }
                expected_offset += segment.bytes.len() as u64;
                if let Some(at) = segment.deliver_at {
                    if at < segment.sent_at
                        || previous_arrival.is_some_and(|previous| at < previous)
                    {
                        return Err(format!(
                            "socket {socket:?} stream {index}: segment would arrive out of order"
                        ));
                    }
                    previous_arrival = Some(at);
                } else if previous_arrival.is_some() {
                    // A waiting segment may only be followed by waiting ones.
                    previous_arrival = Some(crate::engine::Instant::from_micros(u64::MAX));
                }
            }
            if expected_offset != stream.bytes_sent {
                return Err(format!(
                    "socket {socket:?} stream {index}: in-flight bytes do not add up"
                ));
            }
        }
    }
    if sim.nodes().count() > super::NODES_MAX {
        return Err("more nodes than NODES_MAX".into());
    }
    if sim.trace().events().len() > sim.config_trace_events_max() {
        return Err("the trace outgrew its bound".into());
    }
    Ok(())
}

/// Every connection a node holds (accepted, or its own outbound one) is open, with the node's end
/// on it: the simulation never hands a node bytes for a connection it no longer has.
fn check_node_sockets(sim: &Sim) -> Result<(), String> {
    for (id, node) in sim.nodes() {
        for (&conn, socket) in &node.sockets {
            let end = super::Endpoint::Node { node: id, conn };
            let holds_end = sim
                .network()
                .connections
                .get(socket)
                .is_some_and(|connection| connection.outbound(end).is_some());
            if !holds_end {
                return Err(format!(
                    "node {} holds {conn:?} as {socket:?}, which is not its open connection",
                    id.0
                ));
            }
        }
    }
    Ok(())
}

/// Replication's invariants on every node that is up:
/// - `master_repl_offset` never goes back, except when the node's history starts over (a
///   restart, or a full sync it loaded, whose `+FULLRESYNC` offset may be lower than where the
///   node was: a replica ahead of its new master is resynchronised at the master's offset);
/// - the backlog's window is consistent: `first_byte_offset == end_offset - histlen + 1`,
///   `histlen <= size`, `end_offset == master_repl_offset`;
/// - a replica has read at least what it applied (`read_reploff >= reploff`);
/// - a streaming replica's `master_repl_offset` is its applied offset, and it never read past
///   its master's `master_repl_offset` while both share the replid (and the master still holds
///   it as a replica).
fn check_replication(sim: &Sim) -> Result<(), String> {
    for (_, watch) in sim.replication_watch() {
        if let Some(regression) = &watch.regression {
            return Err(regression.clone());
        }
    }
    for (id, sim_node) in sim.nodes() {
        let Some(node) = sim_node.node.as_ref() else {
            continue;
        };
        let repl = &node.state().repl;
        let name = format!("node {}", id.0);
        if let Some(backlog) = &repl.backlog {
            let (first, end, histlen) = (
                backlog.first_byte_offset(),
                backlog.end_offset(),
                backlog.histlen() as u64,
            );
            if first + histlen != end + 1 {
                return Err(format!(
                    "{name}: backlog first byte {first} with histlen {histlen} does not end at {end}"
                ));
            }
            if backlog.histlen() > backlog.size_bytes() {
                return Err(format!(
                    "{name}: backlog histlen {histlen} exceeds its size {}",
                    backlog.size_bytes()
                ));
            }
            if end != repl.master_repl_offset {
                return Err(format!(
                    "{name}: backlog ends at {end} but master_repl_offset is {}",
                    repl.master_repl_offset
                ));
            }
        }
        let Some(link) = &repl.master else {
            continue;
        };
        if link.read_reploff < link.reploff {
            return Err(format!(
                "{name}: read offset {} is behind the applied offset {}",
                link.read_reploff, link.reploff
            ));
        }
        if link.state != crate::engine::replication::LinkState::Connected {
            continue;
        }
        if repl.master_repl_offset != link.reploff {
            return Err(format!(
                "{name}: streaming, master_repl_offset {} differs from the applied offset {}",
                repl.master_repl_offset, link.reploff
            ));
        }
        // The master at the other end of the link, while it still holds that connection as its
        // replica (a master whose own history was just replaced closes its replicas: until the
        // close arrives, they may be ahead of it under the same id).
        let master = link
            .conn
            .and_then(|conn| sim.node_socket(id, conn))
            .and_then(|socket| sim.network().connections.get(&socket))
            .and_then(|connection| match connection.acceptor {
                super::Endpoint::Node { node, conn } => Some((node, conn)),
                super::Endpoint::Client { .. } => None,
            })
            .and_then(|(master_id, conn)| {
                let master = sim.node(master_id)?;
                master
                    .state()
                    .repl
                    .replicas
                    .contains(&conn)
                    .then_some((master_id, master))
            });
        if let Some((master_id, master)) = master {
            let master_repl = &master.state().repl;
            if master_repl.replid == repl.replid
                && link.read_reploff > master_repl.master_repl_offset
            {
                return Err(format!(
                    "{name}: read up to offset {} of replid {}, but its master node {} is only at {}",
                    link.read_reploff,
                    repl.replid,
                    master_id.0,
                    master_repl.master_repl_offset
                ));
            }
        }
    }
    Ok(())
}
