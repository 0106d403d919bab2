import styles from './trace-ui.module.css';

export interface SpanMarks {
  readonly error: boolean;
  readonly errorOrigin: boolean;
  readonly missingParent: boolean;
  readonly clockSkewed: boolean;
  readonly duplicateId?: boolean;
  readonly cycle?: boolean;
}

/**
 * The markers a span can carry, as words rather than icons so they read the
 * same to everyone (and to tests). `compact` shortens the frequent ones for
 * timeline rows; the title still explains each.
 */
export function SpanBadges({ marks, compact = false }: { readonly marks: SpanMarks; readonly compact?: boolean }) {
  return (
    <>
      {marks.errorOrigin ? (
        <span className={styles.badgeOrigin} title="The first error in this trace started here">
          error origin
        </span>
      ) : (
        marks.error && (
          <span className={styles.badgeError} title="This span has ERROR status">
            error
          </span>
        )
      )}
      {marks.missingParent && (
        <span className={styles.badgeWarning} title="Its parent span never arrived; shown at the top level">
          missing parent
        </span>
      )}
      {marks.cycle && (
        <span className={styles.badgeWarning} title="Its parent links loop back on themselves; shown at the top level">
          {compact ? 'loop' : 'parent loop'}
        </span>
      )}
      {marks.clockSkewed && (
        <span className={styles.badgeWarning} title="Timestamps shifted to fit in its parent (different clocks)">
          {compact ? 'skew' : 'clock skew'}
        </span>
      )}
      {marks.duplicateId && (
        <span className={styles.badgeWarning} title="Another span in this trace has the same span id">
          {compact ? 'dup id' : 'duplicate id'}
        </span>
      )}
    </>
  );
}
