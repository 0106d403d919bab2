import styles from './trace-ui.module.css';

/** A service name with its colour. The colour is decoration; the name carries the meaning. */
export function ServiceChip({ service, color }: { readonly service: string; readonly color: string }) {
  return (
    <span className={styles.chip}>
      <span className={styles.swatch} style={{ background: color }} aria-hidden="true" />
      {service}
    </span>
  );
}

/** Services as a list of chips. */
export function ServiceChips({ services, colors, label }: { readonly services: readonly string[]; readonly colors: ReadonlyMap<string, string>; readonly label: string }) {
  return (
    <ul className={styles.chips} aria-label={label}>
      {services.map((service) => (
        <li key={service}>
          <ServiceChip service={service} color={colors.get(service) ?? '#94a3b8'} />
        </li>
      ))}
    </ul>
  );
}
