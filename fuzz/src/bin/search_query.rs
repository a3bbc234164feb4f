//! afl target: [`cong_fuzz::search_query`].

fn main() {
    afl::fuzz!(|data: &[u8]| cong_fuzz::search_query(data));
}
