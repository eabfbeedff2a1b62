// tsflux follows the flags and output of this upstream flux release, and installs
// this Flux distribution by default. The CLI's own version carries it as semver
// build metadata, so version comparisons in scripts treat tsflux as that release.
export const FLUX_VERSION = "2.9.5";
export const TSFLUX_VERSION = "0.1.0";
export const CLI_VERSION = `${FLUX_VERSION}+tsflux.${TSFLUX_VERSION}`;
/** What `flux --version` prints. */
export const VERSION_LINE = `flux version ${CLI_VERSION}`;
export const DEFAULT_DISTRIBUTION_VERSION = `v${FLUX_VERSION}`;
