// mimalloc: the pipeline allocates many small nodes from several threads; glibc malloc spent
// ~30% of a corpus run allocating and freeing (see scripts/bench).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(idlint::main_entry());
}
