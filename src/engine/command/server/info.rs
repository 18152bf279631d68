//! `INFO [section ...]`: the node's state as Redis 7.0.15 lays it out.
//!
//! Section names, field names and their order are Redis 7.0.15's (`genRedisInfoString`), so
//! tools that parse INFO work unchanged. Values are this node's own: the dataset estimate for
//! memory, the driver's clock for times, the engine's counters for statistics. What a simulated
//! node does not have is reported as Redis reports an idle or absent feature: no CPU time, no
//! fork, no allocator fragmentation (RSS = used memory), no Lua, no modules, zero latency (a
//! command takes no simulated time).

use crate::engine::replication::LinkState;
use std::fmt::Write;

use crate::engine::client::ClientKind;
use crate::engine::command::{args, Ctx};
use crate::engine::float;
use crate::engine::resp::Frame;
use crate::engine::vec_map::VecSet;

/// INFO's sections in output order: title, the name that selects it, whether `default` (and no
/// argument) includes it, and what writes its fields. `all` and `everything` select them all
/// (`everything` adds module-generated sections; there are none here).
const SECTIONS: [(&str, &str, bool, SectionWriter); 13] = [
    ("Server", "server", true, server),
    ("Clients", "clients", true, clients),
    ("Memory", "memory", true, memory),
    ("Persistence", "persistence", true, persistence),
    ("Stats", "stats", true, stats),
    ("Replication", "replication", true, replication),
    ("CPU", "cpu", true, cpu),
    ("Modules", "module_list", true, |_, _| {}),
    ("Commandstats", "commandstats", false, commandstats),
    ("Errorstats", "errorstats", true, errorstats),
    ("Latencystats", "latencystats", false, latencystats),
    ("Cluster", "cluster", true, |_, out| {
        out.push_str("cluster_enabled:0\r\n")
    }),
    ("Keyspace", "keyspace", true, keyspace),
];

/// # Format
///
/// ```text
/// INFO [section [section ...]]
/// ```
///
/// Sections: server, clients, memory, persistence, stats, replication, cpu, modules,
/// commandstats, errorstats, latencystats, cluster, keyspace; or `default`, `all`, `everything`.
/// Unknown names are ignored; the output order is fixed whatever the argument order.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], names) = args::at_least(args);
    let names: Vec<Vec<u8>> = names.iter().map(|name| name.to_ascii_lowercase()).collect();
    let named = |word: &str| names.iter().any(|name| name == word.as_bytes());
    let everything = named("all") || named("everything");
    let default = names.is_empty() || named("default");

    let used = ctx.state.keyspace.used_bytes() as u64;
    ctx.state.used_memory_peak = ctx.state.used_memory_peak.max(used);

    let mut reply = String::new();
    for (title, name, in_default, write) in SECTIONS {
        let selected = everything
            || (default && in_default)
            || named(name)
            || (name == "module_list" && named("modules"));
        if selected {
            if !reply.is_empty() {
                reply.push_str("\r\n");
            }
            reply.push_str("# ");
            reply.push_str(title);
            reply.push_str("\r\n");
            write(ctx, &mut reply);
        }
    }
    Frame::bulk(reply)
}

/// Appends one section's fields.
type SectionWriter = fn(&Ctx, &mut String);

/// Appends one `name:value` line.
fn field(out: &mut String, name: &str, value: impl std::fmt::Display) {
    let _ = write!(out, "{name}:{value}\r\n");
}

/// Redis's `bytesToHuman`: `B` below 1 KiB, then two decimals with K, M, G, T or P.
pub(super) fn bytes_to_human(bytes: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (1 << 10, "K"),
        (1 << 20, "M"),
        (1 << 30, "G"),
        (1 << 40, "T"),
        (1 << 50, "P"),
    ];
    if bytes < 1024 {
        return format!("{bytes}B");
    }
    for (scale, unit) in UNITS {
        if bytes < scale.saturating_mul(1024) {
            return format!("{}{unit}", float::fixed(bytes as f64 / scale as f64, 2));
        }
    }
    format!("{bytes}B")
}

fn server(ctx: &Ctx, out: &mut String) {
    let now = ctx.now;
    let uptime_secs = now.as_secs().saturating_sub(ctx.state.started_at.as_secs());
    out.push_str(concat!(
        "redis_version:7.0.15\r\n",
        "redis_git_sha1:00000000\r\n",
        "redis_git_dirty:0\r\n",
        "redis_build_id:0\r\n",
        "redis_mode:standalone\r\n",
    ));
    field(
        out,
        "os",
        format_args!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    );
    field(out, "arch_bits", usize::BITS);
    out.push_str(concat!(
        "monotonic_clock:driver clock\r\n",
        "multiplexing_api:sans-io\r\n",
        "atomicvar_api:none\r\n",
        "gcc_version:0.0.0\r\n",
    ));
    field(out, "process_id", ctx.state.process_id());
    field(out, "process_supervised", "no");
    field(out, "run_id", &ctx.state.run_id);
    field(out, "tcp_port", ctx.state.config.port);
    field(out, "server_time_usec", now.as_micros());
    field(out, "uptime_in_seconds", uptime_secs);
    field(out, "uptime_in_days", uptime_secs / 86_400);
    field(out, "hz", ctx.state.config.hz);
    field(out, "configured_hz", ctx.state.config.hz);
    // Redis's LRU clock: seconds, kept in 24 bits.
    field(out, "lru_clock", now.as_secs() & ((1 << 24) - 1));
    out.push_str(concat!(
        "executable:\r\n",
        "config_file:\r\n",
        "io_threads_active:0\r\n",
    ));
}

fn clients(ctx: &Ctx, out: &mut String) {
    let normal = ctx
        .clients
        .values()
        .filter(|client| client.kind != ClientKind::Replica)
        .count();
    let input_max = ctx
        .clients
        .values()
        .map(|client| client.decoder.buffered_bytes())
        .max()
        .unwrap_or(0);
    field(out, "connected_clients", normal);
    out.push_str(concat!("cluster_connections:0\r\n", "maxclients:10000\r\n",));
    field(out, "client_recent_max_input_buffer", input_max);
    out.push_str(concat!(
        "client_recent_max_output_buffer:0\r\n",
        "blocked_clients:0\r\n",
        "tracking_clients:0\r\n",
        "clients_in_timeout_table:0\r\n",
    ));
}

fn memory(ctx: &Ctx, out: &mut String) {
    let used = ctx.state.keyspace.used_bytes() as u64;
    let peak = ctx.state.used_memory_peak.max(used);
    let maxmemory = ctx.state.config.maxmemory_bytes;
    let (normal_buffers, replica_buffers) =
        ctx.clients
            .values()
            .fold((0u64, 0u64), |(normal, replica), client| {
                let bytes = client.decoder.buffered_bytes() as u64;
                if client.kind == ClientKind::Replica {
                    (normal, replica + bytes)
                } else {
                    (normal + bytes, replica)
                }
            });
    let percent = |part: u64, whole: u64| part as f64 * 100.0 / whole.max(1) as f64;
    field(out, "used_memory", used);
    field(out, "used_memory_human", bytes_to_human(used));
    field(out, "used_memory_rss", used);
    field(out, "used_memory_rss_human", bytes_to_human(used));
    field(out, "used_memory_peak", peak);
    field(out, "used_memory_peak_human", bytes_to_human(peak));
    field(
        out,
        "used_memory_peak_perc",
        format_args!("{}%", float::fixed(percent(used, peak), 2)),
    );
    out.push_str(concat!(
        "used_memory_overhead:0\r\n",
        "used_memory_startup:0\r\n",
    ));
    field(out, "used_memory_dataset", used);
    field(
        out,
        "used_memory_dataset_perc",
        format_args!("{}%", float::fixed(percent(used, used), 2)),
    );
    field(out, "allocator_allocated", used);
    field(out, "allocator_active", used);
    field(out, "allocator_resident", used);
    out.push_str(concat!(
        "total_system_memory:0\r\n",
        "total_system_memory_human:0B\r\n",
        "used_memory_lua:0\r\n",
        "used_memory_vm_eval:0\r\n",
        "used_memory_lua_human:0B\r\n",
        "used_memory_scripts_eval:0\r\n",
        "number_of_cached_scripts:0\r\n",
        "number_of_functions:0\r\n",
        "number_of_libraries:0\r\n",
        "used_memory_vm_functions:0\r\n",
        "used_memory_vm_total:0\r\n",
        "used_memory_vm_total_human:0B\r\n",
        "used_memory_functions:0\r\n",
        "used_memory_scripts:0\r\n",
        "used_memory_scripts_human:0B\r\n",
    ));
    field(out, "maxmemory", maxmemory);
    field(out, "maxmemory_human", bytes_to_human(maxmemory));
    field(
        out,
        "maxmemory_policy",
        ctx.state.config.maxmemory_policy.name(),
    );
    out.push_str(concat!(
        "allocator_frag_ratio:1.00\r\n",
        "allocator_frag_bytes:0\r\n",
        "allocator_rss_ratio:1.00\r\n",
        "allocator_rss_bytes:0\r\n",
        "rss_overhead_ratio:1.00\r\n",
        "rss_overhead_bytes:0\r\n",
        "mem_fragmentation_ratio:1.00\r\n",
        "mem_fragmentation_bytes:0\r\n",
        "mem_not_counted_for_evict:0\r\n",
    ));
    let backlog_bytes = ctx
        .state
        .repl
        .backlog
        .as_ref()
        .map_or(0, |backlog| backlog.allocated_bytes());
    field(out, "mem_replication_backlog", backlog_bytes);
    field(out, "mem_total_replication_buffers", 0);
    field(out, "mem_clients_slaves", replica_buffers);
    field(out, "mem_clients_normal", normal_buffers);
    out.push_str(concat!(
        "mem_cluster_links:0\r\n",
        "mem_aof_buffer:0\r\n",
        "mem_allocator:rust\r\n",
        "active_defrag_running:0\r\n",
        "lazyfree_pending_objects:0\r\n",
        "lazyfreed_objects:0\r\n",
    ));
}

fn persistence(ctx: &Ctx, out: &mut String) {
    let persistence = &ctx.state.persistence;
    let changes = ctx
        .state
        .dirty
        .saturating_sub(persistence.dirty_at_last_save);
    field(out, "loading", u8::from(ctx.state.loading.is_some()));
    out.push_str(concat!(
        "async_loading:0\r\n",
        "current_cow_peak:0\r\n",
        "current_cow_size:0\r\n",
        "current_cow_size_age:0\r\n",
        "current_fork_perc:0.00\r\n",
        "current_save_keys_processed:0\r\n",
        "current_save_keys_total:0\r\n",
    ));
    field(out, "rdb_changes_since_last_save", changes);
    field(out, "rdb_bgsave_in_progress", 0);
    field(
        out,
        "rdb_last_save_time",
        persistence.last_save_at.as_secs(),
    );
    field(
        out,
        "rdb_last_bgsave_status",
        if persistence.last_bgsave_ok {
            "ok"
        } else {
            "err"
        },
    );
    field(
        out,
        "rdb_last_bgsave_time_sec",
        persistence.last_bgsave_secs,
    );
    field(out, "rdb_current_bgsave_time_sec", -1);
    field(out, "rdb_saves", ctx.state.stats.rdb_saves);
    field(out, "rdb_last_cow_size", 0);
    field(
        out,
        "rdb_last_load_keys_expired",
        persistence.last_load_keys_expired,
    );
    field(
        out,
        "rdb_last_load_keys_loaded",
        persistence.last_load_keys_loaded,
    );
    out.push_str(concat!(
        "aof_enabled:0\r\n",
        "aof_rewrite_in_progress:0\r\n",
        "aof_rewrite_scheduled:0\r\n",
        "aof_last_rewrite_time_sec:-1\r\n",
        "aof_current_rewrite_time_sec:-1\r\n",
        "aof_last_bgrewrite_status:ok\r\n",
        "aof_rewrites:0\r\n",
        "aof_rewrites_consecutive_failures:0\r\n",
        "aof_last_write_status:ok\r\n",
        "aof_last_cow_size:0\r\n",
        "module_fork_in_progress:0\r\n",
        "module_fork_last_cow_size:0\r\n",
    ));
    if let Some(loading) = ctx.state.loading {
        let loaded = loading.loaded_bytes(ctx.now);
        let percent = loaded as f64 / loading.total_bytes.max(1) as f64 * 100.0;
        field(out, "loading_start_time", loading.started_at.as_secs());
        field(out, "loading_total_bytes", loading.total_bytes);
        field(out, "loading_rdb_used_mem", 0);
        field(out, "loading_loaded_bytes", loaded);
        field(out, "loading_loaded_perc", float::fixed(percent, 2));
        let eta_secs = loading.until.millis_since(ctx.now).div_ceil(1000);
        field(out, "loading_eta_seconds", eta_secs);
    }
}

fn stats(ctx: &Ctx, out: &mut String) {
    let stats = &ctx.state.stats;
    field(
        out,
        "total_connections_received",
        stats.connections_received,
    );
    field(out, "total_commands_processed", stats.commands_processed);
    field(out, "instantaneous_ops_per_sec", 0);
    field(out, "total_net_input_bytes", stats.net_input_bytes);
    field(out, "total_net_output_bytes", stats.net_output_bytes);
    field(
        out,
        "total_net_repl_input_bytes",
        stats.net_repl_input_bytes,
    );
    field(
        out,
        "total_net_repl_output_bytes",
        stats.net_repl_output_bytes,
    );
    out.push_str(concat!(
        "instantaneous_input_kbps:0.00\r\n",
        "instantaneous_output_kbps:0.00\r\n",
        "instantaneous_input_repl_kbps:0.00\r\n",
        "instantaneous_output_repl_kbps:0.00\r\n",
    ));
    field(out, "rejected_connections", stats.rejected_connections);
    field(out, "sync_full", stats.sync_full);
    field(out, "sync_partial_ok", stats.sync_partial_ok);
    field(out, "sync_partial_err", stats.sync_partial_err);
    field(out, "expired_keys", stats.expired_keys);
    out.push_str(concat!(
        "expired_stale_perc:0.00\r\n",
        "expired_time_cap_reached_count:0\r\n",
        "expire_cycle_cpu_milliseconds:0\r\n",
    ));
    field(out, "evicted_keys", stats.evicted_keys);
    out.push_str(concat!(
        "evicted_clients:0\r\n",
        "total_eviction_exceeded_time:0\r\n",
        "current_eviction_exceeded_time:0\r\n",
    ));
    field(out, "keyspace_hits", stats.keyspace_hits);
    field(out, "keyspace_misses", stats.keyspace_misses);
    let (channels, patterns, shard_channels) = pubsub_counts(ctx);
    field(out, "pubsub_channels", channels);
    field(out, "pubsub_patterns", patterns);
    field(out, "pubsubshard_channels", shard_channels);
    out.push_str(concat!(
        "latest_fork_usec:0\r\n",
        "total_forks:0\r\n",
        "migrate_cached_sockets:0\r\n",
        "slave_expires_tracked_keys:0\r\n",
        "active_defrag_hits:0\r\n",
        "active_defrag_misses:0\r\n",
        "active_defrag_key_hits:0\r\n",
        "active_defrag_key_misses:0\r\n",
        "total_active_defrag_time:0\r\n",
        "current_active_defrag_time:0\r\n",
        "tracking_total_keys:0\r\n",
        "tracking_total_items:0\r\n",
        "tracking_total_prefixes:0\r\n",
        "unexpected_error_replies:0\r\n",
    ));
    field(out, "total_error_replies", stats.error_replies);
    field(out, "dump_payload_sanitizations", 0);
    field(out, "total_reads_processed", stats.reads_processed);
    field(out, "total_writes_processed", stats.writes_processed);
    out.push_str(concat!(
        "io_threaded_reads_processed:0\r\n",
        "io_threaded_writes_processed:0\r\n",
        "reply_buffer_shrinks:0\r\n",
        "reply_buffer_expands:0\r\n",
    ));
}

/// Distinct channels, patterns and shard channels with at least one subscriber, counted over
/// every client's subscriptions (the node keeps no separate table).
fn pubsub_counts(ctx: &Ctx) -> (usize, usize, usize) {
    let (mut channels, mut patterns, mut shard_channels) = (Vec::new(), Vec::new(), Vec::new());
    for client in ctx.clients.values() {
        let subscriptions = &client.subscriptions;
        channels.extend(subscriptions.channels.iter());
        patterns.extend(subscriptions.patterns.iter().map(Vec::as_slice));
        shard_channels.extend(subscriptions.shard_channels.iter());
    }
    (
        distinct(channels),
        distinct(patterns),
        distinct(shard_channels),
    )
}

/// How many different names there are among `names`.
fn distinct(names: Vec<&[u8]>) -> usize {
    names.into_iter().collect::<VecSet<_>>().len()
}

/// `# Replication`, in Redis 7.0's order (§11.1 of the replication spec).
fn replication(ctx: &Ctx, out: &mut String) {
    replication_section(ctx.state, ctx.clients, ctx.now, out);
}

/// `INFO replication`'s whole reply text (header included), from the node's state alone: the UI
/// shows it live without running a command.
pub fn info_replication(
    state: &crate::engine::state::NodeState,
    clients: &crate::engine::client::Clients,
    now: crate::engine::time::Instant,
) -> String {
    let mut out = String::from("# Replication\r\n");
    replication_section(state, clients, now, &mut out);
    out
}

fn replication_section(
    state: &crate::engine::state::NodeState,
    clients: &crate::engine::client::Clients,
    now: crate::engine::time::Instant,
    out: &mut String,
) {
    let repl = &state.repl;
    let config = &state.config;
    let now_secs = now.as_secs();
    let secs_since = |at: crate::engine::time::Instant| now_secs.saturating_sub(at.as_secs());
    match repl.master.as_ref() {
        None => field(out, "role", "master"),
        Some(link) => {
            field(out, "role", "slave");
            field(out, "master_host", &link.host);
            field(out, "master_port", link.port);
            let up = link.state == LinkState::Connected;
            field(out, "master_link_status", if up { "up" } else { "down" });
            let last_io: i64 = if up {
                secs_since(link.last_io_at) as i64
            } else {
                -1
            };
            field(out, "master_last_io_seconds_ago", last_io);
            let transferring = link.state == LinkState::Transfer;
            field(out, "master_sync_in_progress", u8::from(transferring));
            let (read, applied) = if up {
                (link.read_reploff, link.reploff)
            } else if let Some(cached) = repl.cached_master.as_ref() {
                (cached.reploff, cached.reploff)
            } else {
                (1, 1)
            };
            field(out, "slave_read_repl_offset", read);
            field(out, "slave_repl_offset", applied);
            if transferring {
                transfer_progress(link, now_secs, out);
            }
            if !up {
                let down: i64 = repl
                    .link_down_since
                    .map_or(-1, |since| secs_since(since) as i64);
                field(out, "master_link_down_since_seconds", down);
            }
            field(out, "slave_priority", config.replica_priority);
            field(out, "slave_read_only", u8::from(config.replica_read_only));
            field(out, "replica_announced", u8::from(config.replica_announced));
        }
    }
    field(out, "connected_slaves", repl.replicas.len());
    if config.min_replicas_to_write > 0 && config.min_replicas_max_lag_secs > 0 {
        field(out, "min_slaves_good_slaves", repl.good_replicas);
    }
    let mut index = 0;
    for conn in &repl.replicas {
        let Some(client) = clients.get(conn) else {
            continue;
        };
        let Some(link) = client.replica_link.as_ref() else {
            continue;
        };
        let Some(state) = link.info_state() else {
            continue;
        };
        let ip = crate::engine::replication::replica_ip(client);
        let lag = if link.info_state() == Some("online") {
            secs_since(link.ack_at)
        } else {
            0
        };
        field(
            out,
            &format!("slave{index}"),
            format!(
                "ip={ip},port={},state={state},offset={},lag={lag}",
                link.listening_port, link.ack_offset
            ),
        );
        index += 1;
    }
    field(out, "master_failover_state", repl.failover.info_name());
    field(out, "master_replid", &repl.replid);
    field(out, "master_replid2", &repl.replid2);
    field(out, "master_repl_offset", repl.master_repl_offset);
    field(out, "second_repl_offset", repl.second_replid_offset);
    field(out, "repl_backlog_active", u8::from(repl.backlog.is_some()));
    field(out, "repl_backlog_size", config.repl_backlog_size_bytes);
    let (first, histlen) = repl.backlog.as_ref().map_or((0, 0), |backlog| {
        (backlog.first_byte_offset(), backlog.histlen())
    });
    field(out, "repl_backlog_first_byte_offset", first);
    field(out, "repl_backlog_histlen", histlen);
}

/// The `master_sync_*` lines while a full sync's payload arrives.
fn transfer_progress(
    link: &crate::engine::replication::MasterLink,
    now_secs: u64,
    out: &mut String,
) {
    let total: i64 = match link.transfer.header {
        Some(crate::engine::rdb::TransferHeader::Disk { len }) => len as i64,
        Some(crate::engine::rdb::TransferHeader::Diskless { .. }) => 0,
        None => -1,
    };
    let read = link.transfer.payload.len() as i64;
    let percent = if total > 0 {
        read as f64 / total as f64 * 100.0
    } else {
        0.0
    };
    field(out, "master_sync_total_bytes", total);
    field(out, "master_sync_read_bytes", read);
    field(out, "master_sync_left_bytes", total - read);
    field(out, "master_sync_perc", float::fixed(percent, 2));
    let last_io = link.transfer.last_io_at.unwrap_or(link.last_io_at);
    field(
        out,
        "master_sync_last_io_seconds_ago",
        now_secs.saturating_sub(last_io.as_secs()),
    );
}

fn cpu(_ctx: &Ctx, out: &mut String) {
    for name in [
        "used_cpu_sys",
        "used_cpu_user",
        "used_cpu_sys_children",
        "used_cpu_user_children",
        "used_cpu_sys_main_thread",
        "used_cpu_user_main_thread",
    ] {
        field(out, name, "0.000000");
    }
}

fn commandstats(ctx: &Ctx, out: &mut String) {
    for (name, stats) in &ctx.state.stats.commands {
        field(
            out,
            &format!("cmdstat_{name}"),
            format_args!(
                "calls={},usec=0,usec_per_call=0.00,rejected_calls={},failed_calls={}",
                stats.calls, stats.rejected_calls, stats.failed_calls
            ),
        );
    }
}

fn errorstats(ctx: &Ctx, out: &mut String) {
    for (code, count) in &ctx.state.stats.errors_by_code {
        field(
            out,
            &format!("errorstat_{code}"),
            format_args!("count={count}"),
        );
    }
}

/// One line per command that ran, with the default percentiles (50, 99, 99.9).
fn latencystats(ctx: &Ctx, out: &mut String) {
    for (name, stats) in &ctx.state.stats.commands {
        if stats.latency_samples > 0 {
            field(
                out,
                &format!("latency_percentiles_usec_{name}"),
                "p50=0.000,p99=0.000,p99.9=0.000",
            );
        }
    }
}

fn keyspace(ctx: &Ctx, out: &mut String) {
    let now_ms = ctx.now.as_millis();
    for (index, db) in ctx.state.keyspace.iter() {
        if !db.is_empty() {
            field(
                out,
                &format!("db{index}"),
                format_args!(
                    "keys={},expires={},avg_ttl={}",
                    db.len(),
                    db.expires_len(),
                    db.average_ttl_ms(now_ms)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bytes_to_human;
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn text(frame: Frame) -> String {
        match frame {
            Frame::Bulk(bytes) => String::from_utf8(bytes).unwrap(),
            other => panic!("bulk expected, got {other:?}"),
        }
    }

    fn headers(info: &str) -> Vec<&str> {
        info.lines().filter(|line| line.starts_with('#')).collect()
    }

    #[test]
    fn info_section_selection_follows_redis() {
        let mut node = TestNode::new();
        let default = [
            "# Server",
            "# Clients",
            "# Memory",
            "# Persistence",
            "# Stats",
            "# Replication",
            "# CPU",
            "# Modules",
            "# Errorstats",
            "# Cluster",
            "# Keyspace",
        ];
        assert_eq!(headers(&text(node.run("INFO"))), default);
        assert_eq!(headers(&text(node.run("INFO default foo cpu"))), default);
        let all = text(node.run("INFO everything"));
        assert_eq!(headers(&all).len(), 13);
        assert_eq!(
            headers(&text(node.run("INFO KEYSPACE server server"))),
            ["# Server", "# Keyspace"]
        );
        assert_eq!(node.run("INFO foo"), Frame::bulk(""));
    }

    #[test]
    fn info_sections_are_separated_by_a_blank_line() {
        let mut node = TestNode::new();
        assert_eq!(
            text(node.run("INFO cluster keyspace")),
            "# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n"
        );
    }

    /// Lets the test's client out of its blocked WAIT, as a timeout would, without running time.
    fn release_blocked_wait(node: &mut TestNode) {
        let client = node.clients.get_mut(&crate::engine::ConnId(1)).unwrap();
        client.blocked_wait = None;
    }

    #[test]
    fn a_blocked_wait_counts_as_a_call_but_not_as_a_latency_sample() {
        let mut node = TestNode::new();
        node.run("WAIT 0 0");
        node.run("WAIT 1 100");
        release_blocked_wait(&mut node);
        let commandstats = text(node.run("INFO commandstats"));
        assert!(
            commandstats.contains("cmdstat_wait:calls=2,"),
            "{commandstats}"
        );
        node.run("CONFIG RESETSTAT");
        node.run("WAIT 1 100");
        release_blocked_wait(&mut node);
        let latencystats = text(node.run("INFO latencystats"));
        assert!(!latencystats.contains("usec_wait"), "{latencystats}");
        assert!(text(node.run("INFO commandstats")).contains("cmdstat_wait:calls=1,"));
    }

    #[test]
    fn info_counts_commands_and_errors() {
        let mut node = TestNode::new();
        node.run("CONFIG RESETSTAT");
        node.run("NOSUCH");
        node.run("SELECT x");
        let stats = text(node.run("INFO commandstats errorstats"));
        assert_eq!(
            stats,
            "# Commandstats\r\n\
             cmdstat_config|resetstat:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\n\
             cmdstat_select:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1\r\n\
             \r\n# Errorstats\r\nerrorstat_ERR:count=2\r\n"
        );
    }

    #[test]
    fn bytes_to_human_matches_redis() {
        assert_eq!(bytes_to_human(0), "0B");
        assert_eq!(bytes_to_human(1023), "1023B");
        assert_eq!(bytes_to_human(1024), "1.00K");
        assert_eq!(bytes_to_human(916_536), "895.05K");
        assert_eq!(bytes_to_human(25_276_502_016), "23.54G");
        assert_eq!(bytes_to_human(1 << 30), "1.00G");
    }
}
