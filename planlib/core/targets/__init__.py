"""Target kinds: one module per kind of target a plan can set, and the registry that maps a
kind's name to its spec (`registry.kind_of`). Light on purpose (numpy only), so that the plan
checks (`inputs.plan`) can read the kinds' sane bounds without loading the models."""
