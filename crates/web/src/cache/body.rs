//! The body of a kept page served plain: its parts and this request's numbers handed to the
//! connection one after another, so the parts are never copied into a new buffer.

use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Debug)]
pub struct Spliced {
    chunks: VecDeque<Bytes>,
    left: u64,
}

impl Spliced {
    pub fn new(chunks: VecDeque<Bytes>) -> Self {
        let left = chunks.iter().map(|c| c.len() as u64).sum();
        Spliced { chunks, left }
    }
}

impl Body for Spliced {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.chunks.pop_front().map(|c| {
            self.left -= c.len() as u64;
            Ok(Frame::data(c))
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.left)
    }
}
