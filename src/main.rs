//! The `scalingo-manifest` command-line interface.
#![forbid(unsafe_code)]

fn main() {
    println!("scalingo-manifest");
}
