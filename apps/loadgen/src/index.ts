export { runLoad, answerTraceId, type LoadOptions, type LoadProgress, type LoadRun, type RequestResult } from './run-load.js';
export { summarize, formatSummary, type LoadSummary } from './summary.js';
export { SCENARIOS, type ScenarioName } from './scenarios.js';
