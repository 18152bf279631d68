//! A node's `INFO replication` and `ROLE`, live: the node's own answers (computed from its
//! state without running a command, so nothing it counts moves), with the fields that just
//! changed highlighted.

use yew::prelude::*;

use crate::markup;
use crate::ui::numbers::dashed;

use crate::sim::NodeId;

/// How long (virtual time) a changed field stays highlighted.
const HIGHLIGHT_US: u64 = 1_500_000;

/// A field and when its value last changed (None: it has not changed since first shown).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    name: String,
    value: String,
    changed_at_us: Option<u64>,
}

/// `name:value` lines of an INFO section.
pub fn info_fields(info: &str) -> Vec<(&str, &str)> {
    info.split("\r\n")
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(':'))
        .collect()
}

/// Updates the remembered fields with the new text at `now_us`.
fn remember(fields: &mut Vec<Field>, info: &str, now_us: u64) {
    let fresh = fields.is_empty();
    // Shown earlier than a remembered change (the timeline went back): forget the highlights.
    for field in fields.iter_mut() {
        if field.changed_at_us.is_some_and(|at| at > now_us) {
            field.changed_at_us = None;
        }
    }
    let mut next = Vec::new();
    for (name, value) in info_fields(info) {
        let before = fields.iter().find(|field| field.name == name);
        let changed_at_us = match before {
            Some(field) if field.value == value => field.changed_at_us,
            Some(_) => Some(now_us),
            None if fresh => None,
            None => Some(now_us),
        };
        next.push(Field {
            name: name.to_string(),
            value: value.to_string(),
            changed_at_us,
        });
    }
    *fields = next;
}

/// The INFO and ROLE panel of `node`: `info` is `INFO replication`'s text (`# Replication` then
/// `name:value` lines, CRLF-separated), `role_text` is `ROLE` as redis-cli prints it, `now_us` is
/// virtual now; `fields` remembers the fields as last shown, with when they changed.
///
/// A function, not a component: the panels render it at each refresh (`now_us` changes) and
/// keep `fields` for it; a component would only add Yew's per-component code to the page.
pub fn info_panel(
    node: NodeId,
    info: &str,
    role_text: &str,
    now_us: u64,
    fields: &mut Vec<Field>,
) -> Html {
    remember(fields, info, now_us);
    let id = node.0;
    let rows = render_rows(fields, now_us);
    markup!(
        r#"<div class="info-panel">
            <table class="info" data-testid={} aria-label={}>
                <tbody>{}</tbody>
            </table>
            <p class="role-title">ROLE</p>
            <pre class="role" data-testid={}>{}</pre>
        </div>"#,
        dashed("info", &id),
        format!("INFO replication of node {id}; changed values are marked"),
        rows,
        dashed("role", &id),
        role_text.to_string(),
    )
}

fn render_rows(fields: &[Field], now_us: u64) -> Vec<Html> {
    let mut rows = Vec::new();
    for field in fields {
        let changed = field
            .changed_at_us
            .is_some_and(|at| now_us.saturating_sub(at) < HIGHLIGHT_US);
        let changed_mark =
            changed.then(|| markup!(r#"<span class="visually-hidden"> (changed)</span>"#));
        rows.push(markup!(
            r#"<tr class={}>
                <th scope="row">{}</th>
                <td>{}{}</td>
            </tr>"#,
            changed.then_some("changed"),
            field.name.clone(),
            field.value.clone(),
            changed_mark,
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn changed_fields_are_remembered_with_their_time() {
        let mut fields = Vec::new();
        remember(
            &mut fields,
            "# Replication\r\nrole:master\r\nmaster_repl_offset:0\r\n",
            10,
        );
        assert!(fields.iter().all(|field| field.changed_at_us.is_none()));
        remember(
            &mut fields,
            "# Replication\r\nrole:master\r\nmaster_repl_offset:27\r\n",
            20,
        );
        assert_eq!(fields[0].changed_at_us, None);
        assert_eq!(fields[1].changed_at_us, Some(20));
        remember(
            &mut fields,
            "# Replication\r\nrole:master\r\nmaster_repl_offset:27\r\n",
            5,
        );
        assert_eq!(
            fields[1].changed_at_us, None,
            "going back in time forgets the highlight"
        );
    }
}
