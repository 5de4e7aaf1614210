import {
  CompiledQuery,
  PostgresQueryCompiler,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/** Records the statements a piece of work runs, compiled as the database receives them. */
export class StatementRecorder implements KyselyPlugin {
  private readonly compiler = new PostgresQueryCompiler();
  private recorded: CompiledQuery[] | undefined;

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.recorded?.push(this.compiler.compileQuery(node, queryId));
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }

  async during(work: () => Promise<unknown>): Promise<CompiledQuery[]> {
    this.recorded = [];
    try {
      await work();
      return this.recorded;
    } finally {
      this.recorded = undefined;
    }
  }
}
