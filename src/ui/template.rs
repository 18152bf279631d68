//! Markup templates: a view's elements written once as text and built into Yew's virtual DOM at
//! render time, with the dynamic parts, the holes (`{}`), filled in order from a list.
//!
//! Why not `html!` everywhere: the macro expands each element into its own construction code
//! (about 130 B of WebAssembly per element, over the page's ~200 elements), while a template is
//! data, and one builder serves them all: 4.9 KB less gzip over the page. The page has a size budget; `html!` stays
//! where an element needs what templates don't do (`<input>`, `<textarea>`, components).
//!
//! The syntax is `html!`'s, minus the Rust: `<tag name="text" name={}>…</tag>` or `<tag … />`;
//! text between tags is literal (whitespace that reaches a line break is layout and dropped);
//! `{}` is a hole, as child (text, or any [`Html`]) or as an attribute's value; holes are filled
//! in the order they appear in the text. Attribute holes named `on…` take a listener ([`on_click`] …), `key` a list key and `ref` a [`NodeRef`];
//! an absent value ([`Hole::Absent`], `None`) leaves the attribute out. Each template is parsed
//! once and kept: an element's attribute names are then the same `'static` slice at every
//! render, which Yew compares by address to diff only the values.
//!
//! A template that doesn't parse, or holes that don't match it, are the programmer's mistake:
//! debug builds (the browser tests) stop on it; the shipped page leaves the part out rather
//! than panic.

use std::cell::RefCell;
use std::rc::Rc;

use yew::html::{onchange, onclick, onfocus, oninput, onkeydown, onmouseenter, onsubmit};
use yew::virtual_dom::{
    AttributeOrProperty, Attributes, Key, Listener, Listeners, VList, VTag, VText,
};
use yew::{AttrValue, Callback, Html, NodeRef};

/// What fills a `{}`.
pub enum Hole {
    /// Text content, or an attribute's value.
    Text(AttrValue),
    /// Nothing: no child, or the attribute left out.
    Absent,
    /// Any content.
    Node(Html),
    /// An event listener (an `on…` attribute).
    Listener(Rc<dyn Listener>),
    /// A list item's key.
    Key(Key),
    /// A reference to the element.
    Ref(NodeRef),
}

impl From<String> for Hole {
    fn from(text: String) -> Self {
        Hole::Text(text.into())
    }
}

impl From<&'static str> for Hole {
    fn from(text: &'static str) -> Self {
        Hole::Text(AttrValue::Static(text))
    }
}

impl From<AttrValue> for Hole {
    fn from(text: AttrValue) -> Self {
        Hole::Text(text)
    }
}

impl From<Html> for Hole {
    fn from(node: Html) -> Self {
        Hole::Node(node)
    }
}

impl From<Vec<Html>> for Hole {
    fn from(nodes: Vec<Html>) -> Self {
        Hole::Node(Html::VList(Rc::new(VList::with_children(nodes, None))))
    }
}

impl From<NodeRef> for Hole {
    fn from(node_ref: NodeRef) -> Self {
        Hole::Ref(node_ref)
    }
}

impl<T: Into<Hole>> From<Option<T>> for Hole {
    fn from(value: Option<T>) -> Self {
        value.map_or(Hole::Absent, Into::into)
    }
}

/// A list key (`key={}`).
pub fn key(key: impl Into<Key>) -> Hole {
    Hole::Key(key.into())
}

/// Listener holes, one per event the page handles.
macro_rules! listener_holes {
    ($($name:ident: $event:ident),* $(,)?) => {$(
        #[doc = concat!("A `", stringify!($event), "={}` listener.")]
        pub fn $name(callback: Callback<$event::Event>) -> Hole {
            Hole::Listener(Rc::new($event::Wrapper::new(callback)))
        }
    )*};
}

listener_holes! {
    on_click: onclick,
    on_change: onchange,
    on_focus: onfocus,
    on_input: oninput,
    on_keydown: onkeydown,
    on_mouseenter: onmouseenter,
    on_submit: onsubmit,
}

/// `template` built with `holes` filled in order.
#[inline(never)]
pub fn render(template: &'static str, holes: Vec<Hole>) -> Html {
    let tokens = parsed(template);
    let mut holes = holes.into_iter();
    let mut at = 0;
    let nodes = children(tokens, &mut at, &mut holes);
    debug_assert!(at == tokens.len(), "unbalanced template: {template}");
    debug_assert!(
        holes.next().is_none(),
        "more holes than the template has: {template}"
    );
    one_node(nodes)
}

/// `nodes` as one node: the node itself if there is just one (a template's shape is fixed, so
/// it stays that at every render), else a list.
fn one_node(mut nodes: Vec<Html>) -> Html {
    if nodes.len() == 1 {
        nodes.pop().unwrap_or_default()
    } else {
        Html::VList(Rc::new(VList::with_children(nodes, None)))
    }
}

/// [`render`] with each argument turned into a [`Hole`]: `markup!("<p>{}</p>", text)`.
#[macro_export]
macro_rules! markup {
    ($template:literal $(, $hole:expr)* $(,)?) => {
        $crate::ui::template::render(
            $template,
            vec![$($crate::ui::template::Hole::from($hole)),*],
        )
    };
}

/// One piece of a parsed template.
#[derive(Debug, PartialEq)]
enum Token {
    /// An element's start: its tag and attributes, then its children up to [`Token::Close`].
    Open(Element),
    /// The end of the innermost open element.
    Close,
    /// Literal text.
    Text(&'static str),
    /// A `{}` among children.
    Hole,
}

/// An element's start tag.
#[derive(Debug, PartialEq)]
struct Element {
    tag: &'static str,
    /// The names of its attributes, holes included (the same slice at every render).
    names: &'static [&'static str],
    /// Each attribute's literal value, or `None` for a hole.
    values: Vec<Option<&'static str>>,
    /// What the tag's holes fill, in the order they appear.
    slots: Vec<Slot>,
}

/// What a hole in a start tag fills.
#[derive(Debug, PartialEq)]
enum Slot {
    /// The value of the attribute with this index in [`Element::names`].
    Attribute(usize),
    /// An `on…={}` listener.
    Listener,
    /// `key={}`.
    Key,
    /// `ref={}`.
    Ref,
}

thread_local! {
    /// Every template parsed so far, by address (a view's templates are string literals).
    static PARSED: RefCell<Vec<(usize, &'static [Token])>> = const { RefCell::new(Vec::new()) };
}

/// `template`'s tokens, parsed on first use.
fn parsed(template: &'static str) -> &'static [Token] {
    let address = template.as_ptr() as usize;
    PARSED.with(|parsed| {
        if let Some((_, tokens)) = parsed.borrow().iter().find(|(at, _)| *at == address) {
            return *tokens;
        }
        let tokens: &'static [Token] = match parse(template) {
            Ok(tokens) => Vec::leak(tokens),
            Err(problem) => {
                debug_assert!(false, "template: {problem}: {template}");
                &[]
            }
        };
        parsed.borrow_mut().push((address, tokens));
        tokens
    })
}

/// The tokens of `template`, or what is wrong with it. Byte by byte: every delimiter is ASCII,
/// so slicing at them never splits a character.
fn parse(template: &'static str) -> Result<Vec<Token>, &'static str> {
    let mut tokens = Vec::new();
    let mut rest = template;
    let mut depth = 0usize;
    while let Some(&first) = rest.as_bytes().first() {
        if let Some(after) = rest.strip_prefix("{}") {
            tokens.push(Token::Hole);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("</") {
            depth = depth.checked_sub(1).ok_or("end tag without a start")?;
            tokens.push(Token::Close);
            rest = after
                .get(position(after, |byte| byte == b'>')? + 1..)
                .unwrap_or("");
        } else if first == b'<' {
            let (element, self_closing, after) = start_tag(&rest[1..])?;
            tokens.push(Token::Open(element));
            if self_closing {
                tokens.push(Token::Close);
            } else {
                depth += 1;
            }
            rest = after;
        } else {
            let end = position(rest, |byte| byte == b'<' || byte == b'{').unwrap_or(rest.len());
            if end == 0 {
                // A `{` that doesn't open `{}` (say, a block pasted from `html!`).
                return Err("a { that is not a hole");
            }
            let text = layout_trimmed(&rest[..end]);
            if !text.is_empty() {
                tokens.push(Token::Text(text));
            }
            rest = &rest[end..];
        }
    }
    if depth != 0 {
        return Err("element left open");
    }
    Ok(tokens)
}

/// Where the first byte of `text` that `wanted` accepts is, or an error.
fn position(text: &str, wanted: impl Fn(u8) -> bool) -> Result<usize, &'static str> {
    text.bytes()
        .position(wanted)
        .ok_or("a tag or value runs to the end")
}

/// `text` without the whitespace at either end that reaches a line break (the template's
/// layout, not content): `" B held"` stays, `"\n    "` goes.
fn layout_trimmed(text: &'static str) -> &'static str {
    let trimmed = text.trim_ascii_start();
    let text = if text[..text.len() - trimmed.len()].contains('\n') {
        trimmed
    } else {
        text
    };
    let trimmed = text.trim_ascii_end();
    if text[trimmed.len()..].contains('\n') {
        trimmed
    } else {
        text
    }
}

/// A start tag after its `<`: the element, whether it closed itself (`/>`), and what follows.
fn start_tag(mut rest: &'static str) -> Result<(Element, bool, &'static str), &'static str> {
    let ends_name = |byte: u8| byte.is_ascii_whitespace() || matches!(byte, b'=' | b'>' | b'/');
    let name_end = position(rest, ends_name)?;
    let tag = &rest[..name_end];
    rest = &rest[name_end..];
    if matches!(tag, "input" | "textarea") {
        // Yew builds these with their value and checked state apart: use `html!`.
        return Err("<input> and <textarea> need html!");
    }
    let (mut names, mut values, mut slots) = (Vec::new(), Vec::new(), Vec::new());
    loop {
        rest = rest.trim_ascii_start();
        let self_closing = rest.starts_with("/>");
        if self_closing || rest.starts_with('>') {
            let after = &rest[if self_closing { 2 } else { 1 }..];
            let names = Vec::leak(names);
            let element = Element {
                tag,
                names,
                values,
                slots,
            };
            return Ok((element, self_closing, after));
        }
        let name_end = position(rest, ends_name)?;
        let name = &rest[..name_end];
        if name.is_empty() {
            return Err("attribute without a name");
        }
        rest = &rest[name_end..];
        let Some(after) = rest.strip_prefix('=') else {
            // A name alone: an empty value, as in HTML.
            names.push(name);
            values.push(Some(""));
            continue;
        };
        if let Some(after) = after.strip_prefix("{}") {
            rest = after;
            slots.push(match name {
                "key" => Slot::Key,
                "ref" => Slot::Ref,
                _ if name.starts_with("on") => Slot::Listener,
                _ => {
                    names.push(name);
                    values.push(None);
                    Slot::Attribute(names.len() - 1)
                }
            });
        } else if let Some(after) = after.strip_prefix('"') {
            let end = position(after, |byte| byte == b'"')?;
            names.push(name);
            values.push(Some(&after[..end]));
            rest = &after[end + 1..];
        } else {
            return Err("attribute value neither \"text\" nor {}");
        }
    }
}

/// The nodes from `tokens[*at]` up to the [`Token::Close`] of their parent (consumed) or the
/// end.
fn children(
    tokens: &'static [Token],
    at: &mut usize,
    holes: &mut std::vec::IntoIter<Hole>,
) -> Vec<Html> {
    let mut nodes = Vec::new();
    while let Some(token) = tokens.get(*at) {
        *at += 1;
        match token {
            Token::Close => break,
            Token::Text(text) => nodes.push(Html::VText(VText::new(AttrValue::Static(text)))),
            Token::Hole => match holes.next() {
                Some(Hole::Text(text)) => nodes.push(Html::VText(VText::new(text))),
                Some(Hole::Node(node)) => nodes.push(node),
                Some(Hole::Absent) => {}
                other => debug_assert!(false, "a child hole was given {}", kind(other.as_ref())),
            },
            Token::Open(element) => nodes.push(build(element, tokens, at, holes)),
        }
    }
    nodes
}

/// `element` with its attribute holes, listeners, key, reference and children.
fn build(
    element: &'static Element,
    tokens: &'static [Token],
    at: &mut usize,
    holes: &mut std::vec::IntoIter<Hole>,
) -> Html {
    let mut values: Vec<_> = element
        .values
        .iter()
        .map(|value| value.map(AttributeOrProperty::Static))
        .collect();
    let mut listeners = Vec::new();
    let mut key = None;
    let mut node_ref = NodeRef::default();
    for slot in &element.slots {
        match (slot, holes.next()) {
            (Slot::Attribute(index), Some(Hole::Text(text))) => {
                values[*index] = Some(AttributeOrProperty::Attribute(text));
            }
            (Slot::Attribute(_), Some(Hole::Absent)) => {}
            (Slot::Listener, Some(Hole::Listener(listener))) => listeners.push(Some(listener)),
            (Slot::Listener, Some(Hole::Absent)) => listeners.push(None),
            (Slot::Key, Some(Hole::Key(given))) => key = Some(given),
            (Slot::Ref, Some(Hole::Ref(given))) => node_ref = given,
            (slot, other) => {
                debug_assert!(false, "{slot:?} was given {}", kind(other.as_ref()));
            }
        }
    }
    let content = one_node(children(tokens, at, holes));
    let attributes = if element.names.is_empty() {
        Attributes::Static(&[])
    } else {
        Attributes::Dynamic {
            keys: element.names,
            values: values.into_boxed_slice(),
        }
    };
    let listeners = if listeners.is_empty() {
        Listeners::None
    } else {
        Listeners::Pending(listeners.into_boxed_slice())
    };
    let tag = VTag::__new_other(
        AttrValue::Static(element.tag),
        node_ref,
        key,
        attributes,
        listeners,
        content,
    );
    Html::VTag(Rc::new(tag))
}

/// A hole's kind, for the debug messages.
fn kind(hole: Option<&Hole>) -> &'static str {
    match hole {
        None => "nothing (too few holes)",
        Some(Hole::Text(_)) => "text",
        Some(Hole::Absent) => "nothing",
        Some(Hole::Node(_)) => "a node",
        Some(Hole::Listener(_)) => "a listener",
        Some(Hole::Key(_)) => "a key",
        Some(Hole::Ref(_)) => "a reference",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn tag_of(node: &Html) -> &VTag {
        match node {
            Html::VTag(tag) => tag,
            other => panic!("not an element: {other:?}"),
        }
    }

    #[test]
    fn layout_whitespace_goes_and_inline_spaces_stay() {
        let tokens = parse("<p>\n    of {} B\n</p>").unwrap();
        assert_eq!(tokens[1], Token::Text("of "));
        assert_eq!(tokens[2], Token::Hole);
        assert_eq!(tokens[3], Token::Text(" B"));
        assert_eq!(tokens.len(), 5);
    }

    #[test]
    fn attributes_keep_their_order_and_holes_their_place() {
        let tokens = parse(r#"<line class="axis" x1={} onclick={} key={} hidden />"#).unwrap();
        let Token::Open(element) = &tokens[0] else {
            panic!("{tokens:?}")
        };
        assert_eq!(element.tag, "line");
        assert_eq!(element.names, &["class", "x1", "hidden"]);
        assert_eq!(element.values, vec![Some("axis"), None, Some("")]);
        // One listener, a key and no reference, each where the text has it.
        assert_eq!(
            element.slots,
            vec![Slot::Attribute(1), Slot::Listener, Slot::Key]
        );
        assert_eq!(tokens[1], Token::Close);
    }

    #[test]
    fn holes_fill_in_the_order_the_text_has_them() {
        let node = markup!(
            "<b key={} onclick={} title={}></b>",
            key("k"),
            on_click(Callback::noop()),
            "a title",
        );
        let tag = tag_of(&node);
        assert_eq!(tag.key, Some(Key::from("k")));
        let Attributes::Dynamic { values, .. } = &tag.attributes else {
            panic!()
        };
        assert_eq!(
            values[0],
            Some(AttributeOrProperty::Attribute("a title".into()))
        );
    }

    #[test]
    fn mistakes_are_reported_not_built() {
        assert!(parse("<p>").is_err());
        assert!(parse("</p>").is_err());
        assert!(parse("<p class=x>").is_err());
        assert!(parse(r#"<p class="x>"#).is_err());
        assert!(parse("<input value={} />").is_err());
        assert!(parse(r#"<p>{ "text" }</p>"#).is_err());
    }

    #[test]
    fn holes_fill_text_attributes_and_children() {
        let inner = markup!("<b>{}</b>", "bold");
        let node = markup!(
            r#"<p class="note" title={} data-x={}>Held: {} {}</p>"#,
            "a title".to_string(),
            None::<String>,
            "42",
            inner,
        );
        let tag = tag_of(&node);
        assert_eq!(tag.tag(), "p");
        let Attributes::Dynamic { keys, values } = &tag.attributes else {
            panic!()
        };
        assert_eq!(*keys, &["class", "title", "data-x"]);
        assert_eq!(
            values[1],
            Some(AttributeOrProperty::Attribute("a title".into()))
        );
        assert_eq!(values[2], None);
        let Some(Html::VList(children)) = tag.children() else {
            panic!()
        };
        assert_eq!(children.len(), 4);
    }

    #[test]
    fn a_template_renders_with_the_same_attribute_names_each_time() {
        let names = |node: &Html| match &tag_of(node).attributes {
            Attributes::Dynamic { keys, .. } => keys.as_ptr(),
            _ => std::ptr::null(),
        };
        let render = |text: &'static str| markup!(r#"<span class={}></span>"#, text);
        assert_eq!(names(&render("a")), names(&render("b")));
    }
}
