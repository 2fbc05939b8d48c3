/**
 * Service identifiers of the container. Parts are multi-bound to these and looked up by their
 * `name` property, so nothing depends on emitted type metadata.
 *
 * @category Plugin loading
 */
export const TOKENS = {
  /** {@link CellDefinition} bindings. */
  Cell: Symbol.for('rnnbow.Cell'),
  /** {@link RecorderDefinition} bindings. */
  Recorder: Symbol.for('rnnbow.Recorder'),
  /** {@link ExporterDefinition} bindings. */
  Exporter: Symbol.for('rnnbow.Exporter'),
} as const;
