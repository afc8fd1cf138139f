/** Says plainly which databases this run covers. */
export default function setup(): void {
  if (process.env.TEST_DATABASE_URL) {
    process.stdout.write('\nDropday tests: running every database test on SQLite and on PostgreSQL (TEST_DATABASE_URL).\n');
  } else {
    process.stdout.write(
      '\nDropday tests: PostgreSQL variant SKIPPED — set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run it. Running on SQLite only.\n',
    );
  }
}
