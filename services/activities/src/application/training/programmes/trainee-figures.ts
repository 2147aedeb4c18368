/**
 * The port the programmes part reads trainee records through: one record per
 * (programme, person, year), written by the hours part; trained means at
 * least one session attended, completed means the hours (and test) met.
 */

export interface Figures {
  readonly trained: number;
  readonly completed: number;
}

export interface YearFigures {
  readonly total: Figures;
  /** By the trainee's home township (or street) code. */
  readonly byTownship: ReadonlyMap<string, Figures>;
  /** A trainee in several target groups counts in each. */
  readonly byTargetGroup: ReadonlyMap<string, Figures>;
  /** `YYYY-MM`: trained by the month of the first attendance, completed by the month of completion. */
  readonly byMonth: ReadonlyMap<string, Figures>;
}

export interface TraineeFigures {
  /** People trained in `year` per township, townships with none absent. */
  trainedByTownship(programmeId: string, year: number): Promise<ReadonlyMap<string, number>>;
  /** The year's figures, over trainees living inside `roots` only when given. */
  yearFigures(
    programmeId: string,
    year: number,
    roots: readonly string[] | null,
  ): Promise<YearFigures>;
  /** The year's totals of each of `programmeIds` (those without trainees absent). */
  yearTotals(programmeIds: readonly string[], year: number): Promise<ReadonlyMap<string, Figures>>;
}
