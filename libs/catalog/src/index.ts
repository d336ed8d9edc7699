/**
 * @yardmaster/catalog - the model catalog: providers (worker pools, API kinds), models
 * (prices, windows, capabilities, priors), tenant tiers, route aliases, rules and the
 * routing policy, parsed and validated from YAML with every problem listed at once.
 * Shared by the router, ingress (model names and aliases) and the CLI.
 */
export * from './catalog.js';
