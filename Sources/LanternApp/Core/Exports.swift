// The domain module (plans, rule packs, dates) is part of every file's vocabulary here.
@_exported import LanternDomain
