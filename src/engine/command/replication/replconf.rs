//! `REPLCONF`: what a replica tells its master about itself, and the ACKs.

use crate::engine::client::ClientKind;
use crate::engine::command::{args, Ctx};
use crate::engine::replication::ReplicaLink;
use crate::engine::resp::{parse_i64, split_args, Frame};

/// Longest `ip-address` a replica may announce (Redis's `NET_HOST_STR_LEN`).
const ANNOUNCED_IP_BYTES_MAX: usize = 256;

/// # Format
///
/// ```text
/// REPLCONF [listening-port port] [ip-address ip] [capa eof|psync2] [ACK offset] [GETACK *]
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], words) = args::at_least(args);
    let (pairs, []) = words.as_chunks::<2>() else {
        return args::syntax_error();
    };
    for [option, value] in pairs {
        let now = ctx.now;
        if option.eq_ignore_ascii_case(b"listening-port") {
            let Some(port) = parse_i64(value) else {
                return Frame::error("ERR value is not an integer or out of range");
            };
            link(ctx, now).listening_port = port as u16;
        } else if option.eq_ignore_ascii_case(b"ip-address") {
            if value.len() >= ANNOUNCED_IP_BYTES_MAX {
                return Frame::error(format!(
                    "ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
                    value.len()
                ));
            }
            link(ctx, now).announced_ip = Some(String::from_utf8_lossy(value).into_owned());
        } else if option.eq_ignore_ascii_case(b"capa") {
            // Capabilities this master does not know are ignored.
            if value.eq_ignore_ascii_case(b"eof") {
                link(ctx, now).capa_eof = true;
            } else if value.eq_ignore_ascii_case(b"psync2") {
                link(ctx, now).capa_psync2 = true;
            }
        } else if option.eq_ignore_ascii_case(b"ack") {
            // An ACK never gets a reply; from anything but a replica it is ignored.
            ctx.reply_suppressed = true;
            if ctx.client_ref().kind == ClientKind::Replica {
                if let Some(offset) = parse_i64(value) {
                    let conn = ctx.conn;
                    ctx.replication().ack(conn, offset.max(0) as u64);
                }
            }
            return Frame::Null;
        } else if option.eq_ignore_ascii_case(b"getack") {
            ctx.reply_suppressed = true;
            if ctx.client_ref().kind == ClientKind::Master {
                ctx.replication().send_ack();
            }
            return Frame::Null;
        } else if option.eq_ignore_ascii_case(b"rdb-only") {
            // `redis-cli --rdb`: the snapshot only, then the connection ends.
            let rdb_only = match parse_i64(value) {
                Some(flag @ (0 | 1)) => flag == 1,
                Some(_) => {
                    return Frame::error("ERR value is out of range, value must between 0 and 1")
                }
                None => return Frame::error("ERR value is not an integer or out of range"),
            };
            link(ctx, now).rdb_only = rdb_only;
        } else if option.eq_ignore_ascii_case(b"rdb-filter-only") {
            // What the snapshot includes: nothing but "functions" (which the engine has none
            // of), so any filter means a snapshot without data (`redis-cli --replica` sends "").
            let Some(filters) = split_args(value) else {
                return Frame::error("ERR Missing rdb-filter-only values");
            };
            if let Some(unsupported) = filters
                .iter()
                .find(|filter| !filter.eq_ignore_ascii_case(b"functions"))
            {
                let mut message = b"ERR Unsupported rdb-filter-only option: ".to_vec();
                message.extend_from_slice(unsupported);
                return crate::engine::command::error_with_user_text(message);
            }
            link(ctx, now).rdb_without_data = true;
        } else {
            let mut message = b"ERR Unrecognized REPLCONF option: ".to_vec();
            message.extend_from_slice(option);
            return crate::engine::command::error_with_user_text(message);
        }
    }
    Frame::ok()
}

/// The caller's replica-to-be record, created by its first REPLCONF.
fn link<'c>(ctx: &'c mut Ctx, now: crate::engine::time::Instant) -> &'c mut ReplicaLink {
    ctx.client()
        .replica_link
        .get_or_insert_with(|| ReplicaLink::new(now))
}
