import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * This process's side of public-page invalidation. Other processes' changes reach the page cache
 * through `page_versions` (bumped by triggers, migration 017, read at most once a second); a change
 * made by this process shows at once: every write to a table a public page shows, through any
 * Kysely instance of the process, moves a process-wide generation, and the cache drops what it
 * rendered before. Writes to these tables are rare (editor, CLI, a match found), so dropping
 * everything is cheaper than working out which campaign a statement touched.
 */
// Every table with a page-version trigger (migrations 017, 022, 025): the leaderboard switch and the
// contest line (growth), and the tracking prompt (conversions) are on the cached campaign page too.
const SHOWN_ON_PAGES = new Set([
  'campaigns',
  'campaign_editor',
  'release_matches',
  'campaign_links',
  'growth_settings',
  'contests',
  'conversion_settings',
]);
const RAW_WRITE = new RegExp(`\\b(?:insert\\s+into|update|delete\\s+from)\\s+"?(${[...SHOWN_ON_PAGES].join('|')})\\b`, 'i');

let generation = 0;

/** Moves whenever this process wrote something a public page shows. */
export function localPageGeneration(): number {
  return generation;
}

function tableName(node: OperationNode | undefined): string | null {
  if (!node) return null;
  const n = node as { kind: string; node?: OperationNode; table?: { identifier?: { name?: string } } };
  if (n.kind === 'AliasNode') return tableName(n.node);
  return n.kind === 'TableNode' ? (n.table?.identifier?.name ?? null) : null;
}

function writesShownTable(node: RootOperationNode): boolean {
  switch (node.kind) {
    case 'InsertQueryNode':
      return SHOWN_ON_PAGES.has(tableName(node.into) ?? '');
    case 'UpdateQueryNode':
      return SHOWN_ON_PAGES.has(tableName(node.table) ?? '');
    case 'DeleteQueryNode':
      return node.from.froms.some((f) => SHOWN_ON_PAGES.has(tableName(f) ?? ''));
    case 'RawNode':
      return RAW_WRITE.test(node.sqlFragments.join(' '));
    default:
      return false;
  }
}

/** Added to every Kysely instance by openDatabase. */
export class PageChangePlugin implements KyselyPlugin {
  readonly #writes = new WeakSet<object>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (writesShownTable(args.node)) this.#writes.add(args.queryId);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#writes.has(args.queryId)) generation++;
    return args.result;
  }
}
