// mimalloc: the pipeline allocates many small nodes from several threads; glibc malloc spent
// ~30% of a corpus run allocating and freeing (see scripts/bench). The `system-alloc` feature
// keeps the system allocator, so heap profilers that intercept malloc (massif, heaptrack) see
// every allocation.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(idlint::main_entry());
}
