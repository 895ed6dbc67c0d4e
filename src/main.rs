fn main() {
    std::process::exit(idlint::main_entry());
}
