//! afl target: [`cong_fuzz::form_query`].

fn main() {
    afl::fuzz!(|data: &[u8]| cong_fuzz::form_query(data));
}
