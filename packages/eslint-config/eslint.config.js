import { tracelensConfig } from './index.js';

export default tracelensConfig({ root: import.meta.dirname });
