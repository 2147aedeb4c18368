/** One page of a listing and how to ask for the next: what every store returns and every route sends. */
export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}
