//! `SMISMEMBER key member [member ...]`: 1 or 0 for each member, in argument order.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SMISMEMBER key member [member ...]
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key], members) = args::at_least(args);
    match ctx.read::<SetValue>(key) {
        Ok(set) => Frame::Array(
            members
                .iter()
                .map(|member| {
                    Frame::Integer(i64::from(set.is_some_and(|set| set.contains(member))))
                })
                .collect(),
        ),
        Err(error) => error,
    }
}
