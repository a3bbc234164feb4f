//! The public site: one handler per page kind.

pub mod article;
pub mod assets;
pub mod home;
pub mod page;
pub mod section;
