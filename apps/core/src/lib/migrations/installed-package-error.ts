/** `db generate` was asked to write into an installed copy of a package (inside node_modules). */
export class InstalledPackageError extends Error {
  constructor(
    readonly packageName: string,
    /** The real path of the installed copy. */
    readonly folder: string,
  ) {
    super(
      `${packageName} is an installed copy (${folder} lies inside node_modules): a migration written there is lost ` +
        `on the next install. Generate it in the package's own repository (run ydtb db generate ${packageName} ` +
        'there, with a config that lists its module), publish a new version, and install that.',
    );
    this.name = 'InstalledPackageError';
  }
}
