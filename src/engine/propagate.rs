//! The one propagation point: what leaves the command layer for replicas (and later the backlog).
//!
//! Mirrors Redis 7.0: a command that changed the dataset (the `dirty` counter moved) is
//! propagated as its possibly rewritten argument vector, together with anything it asked to
//! `alsoPropagate` (lazy-expiry DELs, ...). Everything one *execution unit* (a command, or a whole
//! EXEC) produced leaves at once, wrapped in MULTI ... EXEC when there is more than one command,
//! unless the top-level command touches arbitrary keys (SCAN, RANDOMKEY).

/// Argument vectors as they travel: `argv[0]` is the command name.
pub type Argv = Vec<Vec<u8>>;

/// One command as it goes to replicas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropagatedCommand {
    /// The database it applies to; None for commands fed without one (`MULTI`, `EXEC`, `PING`,
    /// `REPLCONF GETACK`), which never cause a SELECT.
    pub db: Option<usize>,
    /// The arguments, name first.
    pub argv: Argv,
}

impl PropagatedCommand {
    /// A command bound to database `db`.
    pub fn in_db(db: usize, argv: Argv) -> PropagatedCommand {
        PropagatedCommand { db: Some(db), argv }
    }
}

/// The commands one execution unit produced, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecutionUnit {
    commands: Vec<PropagatedCommand>,
    /// Set for SCAN and RANDOMKEY (`touches-arbitrary-keys`): their lazy-expiry DELs go out one by
    /// one, never wrapped.
    never_wrap: bool,
}

impl ExecutionUnit {
    /// Adds a command to the unit.
    pub fn push(&mut self, command: PropagatedCommand) {
        self.commands.push(command);
    }

    /// Keeps this unit's commands unwrapped whatever their number.
    pub fn never_wrap(&mut self) {
        self.never_wrap = true;
    }

    /// Whether nothing was propagated.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Ends the unit: the commands as they leave, wrapped in MULTI/EXEC when needed. Redis 7.0
    /// feeds MULTI with the first command's database, so a needed SELECT comes *before* MULTI
    /// (7.2 moved it inside).
    pub fn finish(&mut self) -> Vec<Vec<PropagatedCommand>> {
        let commands = std::mem::take(&mut self.commands);
        let never_wrap = std::mem::take(&mut self.never_wrap);
        if commands.len() <= 1 || never_wrap {
            let mut units = Vec::with_capacity(commands.len());
            for command in commands {
                units.push(vec![command]);
            }
            return units;
        }
        let first_db = commands[0].db;
        let mut wrapped = Vec::with_capacity(commands.len() + 2);
        wrapped.push(PropagatedCommand {
            db: first_db,
            argv: vec![b"MULTI".to_vec()],
        });
        wrapped.extend(commands);
        wrapped.push(PropagatedCommand {
            db: None,
            argv: vec![b"EXEC".to_vec()],
        });
        vec![wrapped]
    }
}

/// Turns propagated commands into the byte stream a replica receives, inserting `SELECT` when
/// the database changes (Redis's single global `slaveseldb`).
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamEncoder {
    /// The database the stream last selected; None forces a SELECT before the next command.
    selected_db: Option<usize>,
}

impl StreamEncoder {
    /// The database the stream last selected (`slaveseldb`; None: -1).
    pub fn selected_db(&self) -> Option<usize> {
        self.selected_db
    }

    /// Forgets the selected database (new full sync, promotion): the next command gets a SELECT.
    pub fn reset(&mut self) {
        self.selected_db = None;
    }

    /// Appends `command`'s RESP bytes (after a SELECT if needed) to `out`.
    pub fn encode(&mut self, command: &PropagatedCommand, out: &mut Vec<u8>) {
        if let Some(db) = command.db {
            if self.selected_db != Some(db) {
                let select: Argv = vec![b"SELECT".to_vec(), db.to_string().into_bytes()];
                super::resp::encode_request(&select, out);
                self.selected_db = Some(db);
            }
        }
        super::resp::encode_request(&command.argv, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn argv(words: &[&str]) -> Argv {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn a_single_command_is_not_wrapped() {
        let mut unit = ExecutionUnit::default();
        unit.push(PropagatedCommand::in_db(0, argv(&["SET", "k", "v"])));
        assert_eq!(
            unit.finish(),
            vec![vec![PropagatedCommand::in_db(0, argv(&["SET", "k", "v"]))]]
        );
        assert!(unit.is_empty());
    }

    #[test]
    fn several_commands_are_wrapped_with_select_before_multi() {
        let mut unit = ExecutionUnit::default();
        unit.push(PropagatedCommand::in_db(9, argv(&["DEL", "k"])));
        unit.push(PropagatedCommand::in_db(9, argv(&["SET", "k", "v"])));
        let mut stream = Vec::new();
        let mut encoder = StreamEncoder::default();
        for command in unit.finish().concat() {
            encoder.encode(&command, &mut stream);
        }
        let expected =
            "*2\r\n$6\r\nSELECT\r\n$1\r\n9\r\n*1\r\n$5\r\nMULTI\r\n*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n\
                        *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nEXEC\r\n";
        assert_eq!(String::from_utf8(stream).unwrap(), expected);
    }

    #[test]
    fn arbitrary_key_commands_send_their_dels_one_by_one() {
        let mut unit = ExecutionUnit::default();
        unit.never_wrap();
        unit.push(PropagatedCommand::in_db(0, argv(&["DEL", "a"])));
        unit.push(PropagatedCommand::in_db(0, argv(&["DEL", "b"])));
        assert_eq!(unit.finish().len(), 2);
    }
}
