import ArticleIcon from '@mui/icons-material/Article';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./PostViews'));

export default { list: views('PostList'), show: views('PostShow'), edit: views('PostEdit'), create: views('PostCreate'), icon: ArticleIcon, recordRepresentation: 'title' };
