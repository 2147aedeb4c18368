/** The public portal's rendered pages of activities, kept in a shared cache. */
export interface PublicPages {
  /**
   * Every cached page is no longer served; called after each change the
   * public can see. It never fails the change it follows: a page the cache
   * could not drop expires on its own.
   */
  invalidate(): Promise<void>;
}
