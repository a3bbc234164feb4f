//! afl target: [`cong_fuzz::sanitize`].

fn main() {
    afl::fuzz!(|data: &[u8]| cong_fuzz::sanitize(data));
}
