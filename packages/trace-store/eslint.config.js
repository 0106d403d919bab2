import { tracelensConfig } from '@tracelens/eslint-config';

export default tracelensConfig({ root: import.meta.dirname });
