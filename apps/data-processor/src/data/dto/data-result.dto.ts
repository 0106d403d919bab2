/** Body of `GET /data/:name`. */
export interface DataResultDto {
  /** The name as requested. */
  readonly name: string;
  /** The processed name: upper-cased. Also the span's `data.result`. */
  readonly result: string;
  /** Characters in the name. */
  readonly length: number;
  /** Milliseconds of simulated work: 100 + 10 per character, or 0 with TRACELENS_SIMULATED_WORK=off. */
  readonly simulatedWorkMs: number;
}
