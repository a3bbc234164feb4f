//! afl target: [`cong_fuzz::image_header`].

fn main() {
    afl::fuzz!(|data: &[u8]| cong_fuzz::image_header(data));
}
