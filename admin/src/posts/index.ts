import ArticleIcon from '@mui/icons-material/Article';
import { PostCreate, PostEdit, PostList, PostShow } from './PostViews';

export default { list: PostList, show: PostShow, edit: PostEdit, create: PostCreate, icon: ArticleIcon, recordRepresentation: 'title' };
