//! WordPress's export format (WXR, "WordPress eXtended RSS", versions 1.1 and 1.2, as
//! Tools → Export writes it) read into plain values, and pure functions over what a post's
//! body holds. Nothing here touches a database, a file system or the network.

mod body;
mod model;
mod read;

pub use body::{Shortcode, image_sources, original_upload, shortcodes};
pub use model::{Author, Comment, Export, Item, ItemCategory, Meta, PostType, Status, Term};
pub use read::{WxrError, parse};
