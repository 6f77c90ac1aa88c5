import { Link } from '../router';

export function NotFoundPage() {
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is no such page. Go to the <Link to="/conversations">conversations</Link>.
      </p>
    </section>
  );
}
