//! Invariants checked after every step in tests (TigerBeetle's checkers): a violation is a bug in
//! the simulator or the engine, reported with the seed that reproduces it.

use super::Sim;

/// The first invariant `sim` violates, if any.
pub fn check(sim: &Sim) -> Result<(), String> {
    check_streams(sim)
        .and_then(|()| check_node_sockets(sim))
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
