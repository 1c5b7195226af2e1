//! Where each value of a YAML text stands, by its path (`lines[3].amount`, `posting.to`).
//!
//! serde_yaml keeps no positions once a value is read, so an error found after reading (an
//! unknown building, a sum that does not add up) used to be placed by searching the text for
//! the value, and `5` was found inside `15:30` on another line. [`Spans`] reads the same text
//! with yaml-rust2's marked events and records the line and column of every key and value, so
//! that a message about `scope[1]` points at that item and nowhere else. It is built only when
//! a file has something to report: a good build never pays for it.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Line and column (both 1-based, column in characters) of a key and of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Where the key is (for a list item: where the item is).
    pub key: (usize, usize),
    /// Where the value starts.
    pub value: (usize, usize),
}

/// Every value of one YAML text by path; empty when the text is not YAML.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    by_path: HashMap<String, Span>,
    /// Scalars in document order, for finding a value written somewhere under a path.
    scalars: Vec<(String, String, Span)>,
}

/// The path of a map entry: `posting.to`, `to` at the top.
pub fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// The path of a list item: `lines[3]`.
pub fn item(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

impl Spans {
    /// Reads `yaml`, whose first line is line `first_line` of its file.
    pub fn of(yaml: &str, first_line: usize) -> Spans {
        let mut b = Builder { first_line, stack: Vec::new(), spans: Spans::default(), depth_limit: 64 };
        let mut parser = Parser::new_from_str(yaml);
        // A syntax error ends the reading: what was read until then is kept.
        let _ = parser.load(&mut b, false);
        b.spans
    }

    /// Where the value at `path` starts, or (0, 0).
    pub fn value(&self, path: &str) -> (usize, usize) {
        self.by_path.get(path).map(|s| s.value).unwrap_or((0, 0))
    }

    /// Where the key of `path` is, or (0, 0).
    pub fn key(&self, path: &str) -> (usize, usize) {
        self.by_path.get(path).map(|s| s.key).unwrap_or((0, 0))
    }

    /// Whether `path` was written.
    pub fn has(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// The value at `path`, or the key of its nearest written ancestor (a missing field is
    /// shown at the mapping that lacks it); (0, 0) when nothing is written.
    pub fn near(&self, path: &str) -> (usize, usize) {
        let mut p = path;
        loop {
            if let Some(s) = self.by_path.get(p) {
                return if p == path { s.value } else { s.key };
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return (0, 0),
            }
        }
    }

    /// The first scalar under `under` (itself included) whose text is exactly `text`.
    pub fn find(&self, under: &str, text: &str) -> (usize, usize) {
        self.scalars.iter().find(|(p, v, _)| v == text && is_under(p, under)).map(|(_, _, s)| s.value).unwrap_or((0, 0))
    }
}

fn is_under(path: &str, under: &str) -> bool {
    under.is_empty() || path == under || path.strip_prefix(under).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

enum Frame {
    Map {
        path: String,
        key: Option<(String, Marker)>,
        fresh: bool,
    },
    Seq {
        path: String,
        next: usize,
    },
    /// A mapping or list used as a key: its contents have no path.
    Ignored,
}

struct Builder {
    first_line: usize,
    stack: Vec<Frame>,
    spans: Spans,
    depth_limit: usize,
}

impl Builder {
    fn pos(&self, m: &Marker) -> (usize, usize) {
        (m.line() + self.first_line - 1, m.col() + 1)
    }

    /// The path of the node starting now, and where its key is; None for a key or an
    /// ignored node.
    fn place(&mut self, mark: &Marker, scalar: Option<&str>) -> Option<(String, (usize, usize))> {
        let here = self.pos(mark);
        match self.stack.last_mut() {
            None => Some((String::new(), here)),
            Some(Frame::Ignored) => None,
            Some(Frame::Seq { path, next }) => {
                let p = item(path, *next);
                *next += 1;
                Some((p, here))
            }
            Some(Frame::Map { path, key, fresh }) => match key.take() {
                Some((k, km)) => {
                    let p = child(path, &k);
                    let kpos = (km.line() + self.first_line - 1, km.col() + 1);
                    Some((p, kpos))
                }
                None => {
                    // This node is a key. A block mapping's start event comes after its first
                    // key: the mapping (or list item) starts where that key does.
                    *key = Some((scalar.unwrap_or("?").to_string(), *mark));
                    if std::mem::take(fresh) {
                        if let Some(s) = self.spans.by_path.get_mut(path.as_str()) {
                            if here < s.value {
                                s.value = here;
                                if s.key > here {
                                    s.key = here;
                                }
                            }
                        }
                    }
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, ..) => {
                if let Some((path, key)) = self.place(&mark, Some(&text)) {
                    // A quoted value is pointed at its first character, inside the quote.
                    let (l, c) = self.pos(&mark);
                    let quoted =
                        matches!(style, yaml_rust2::scanner::TScalarStyle::SingleQuoted | yaml_rust2::scanner::TScalarStyle::DoubleQuoted);
                    let span = Span { key, value: (l, c + usize::from(quoted)) };
                    self.spans.by_path.insert(path.clone(), span);
                    self.spans.scalars.push((path, text, span));
                }
            }
            Event::Alias(_) => {
                if let Some((path, key)) = self.place(&mark, Some("*")) {
                    self.spans.by_path.insert(path, Span { key, value: self.pos(&mark) });
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                let frame = match self.place(&mark, None) {
                    _ if self.stack.len() >= self.depth_limit => Frame::Ignored,
                    Some((path, key)) => {
                        self.spans.by_path.insert(path.clone(), Span { key, value: self.pos(&mark) });
                        if is_map {
                            Frame::Map { path, key: None, fresh: true }
                        } else {
                            Frame::Seq { path, next: 0 }
                        }
                    }
                    None => Frame::Ignored,
                };
                self.stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_has_its_own_place() {
        let yaml = "title: 停水\nposting: {from: 2025-10-08, to: 2025-10-15}\nscope: [\"5\", 15]\nlines:\n  - date: 2025-10-01\n    amount: 15:30\n  - amount: 5\n";
        let s = Spans::of(yaml, 2);
        assert_eq!(s.value("title"), (2, 8));
        assert_eq!(s.key("posting.to"), (3, 29));
        assert_eq!(s.value("posting.to"), (3, 33));
        assert_eq!(s.value("scope[1]"), (4, 14));
        assert_eq!(s.value("lines[1].amount"), (8, 13));
        assert_eq!(s.key("lines[1]"), (8, 5));
        // `5` is the item of line 8, not the digit inside 15:30 or "15".
        assert_eq!(s.find("lines", "5"), (8, 13));
        assert_eq!(s.find("scope", "5"), (4, 10));
        // A quoted value is shown at its first character, inside the quote.
        // A missing field is shown at the mapping that lacks it.
        assert_eq!(s.near("lines[1].category"), (8, 5));
        assert_eq!(s.near("nothing"), (0, 0));
    }

    #[test]
    fn broken_yaml_keeps_what_was_read() {
        let s = Spans::of("a: 1\nb: [\n", 1);
        assert_eq!(s.value("a"), (1, 4));
    }
}
